using System.Runtime.InteropServices;

namespace Benchmarks.Core.Sockets;

/// <summary>
/// The kernel's <c>struct timespec</c> (64-bit Linux), as the waiting system calls take it (<c>epoll_pwait2</c>,
/// <c>nanosleep</c>): a value on the caller's stack, since the open model's dispatcher waits twice per operation.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct Timespec(long Seconds, long Nanoseconds)
{
    public static Timespec FromNanoseconds(long nanoseconds) => new(nanoseconds / 1_000_000_000, nanoseconds % 1_000_000_000);
}
