using System.Runtime.InteropServices;
using Benchmarks.Core.Recording;
using Benchmarks.Core.Sockets;
using Benchmarks.Core.Stores;

namespace Benchmarks.Core.Execution;

/// <summary>
/// Waits until a Stopwatch timestamp with microsecond precision without burning a core: it sleeps with
/// nanosleep (after cutting this thread's timer slack from 50 µs to 1 ns) until a margin before the
/// deadline, then spins the rest. The margin follows the oversleep the kernel actually delivers here,
/// so a noisy VM costs more spinning but not more lateness. Where nanosleep is not available it falls
/// back to Thread.Sleep for long waits and spinning for short ones. Given a store's <see cref="IReplyLoop"/>, it waits
/// in that loop instead, to the deadline and without spinning, serving the replies that arrive meanwhile.
/// </summary>
internal sealed partial class PreciseWaiter
{
    private const int PrSetTimerSlack = 29;
    private static readonly long MinimumMarginTicks = Timing.FromSeconds(20e-6);
    private static readonly long MaximumMarginTicks = Timing.FromSeconds(250e-6);
    private static readonly long MaximumSliceTicks = Timing.FromSeconds(0.05);
    private readonly bool _nanosleep;
    private readonly IReplyLoop? _replies;
    private long _marginTicks = Timing.FromSeconds(100e-6);

    /// <summary>Call on the thread that will wait: the timer slack is a per-thread setting.</summary>
    public PreciseWaiter(IReplyLoop? replies = null)
    {
        _replies = replies;
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            _ = prctl(PrSetTimerSlack, 1, 0, 0, 0);
            _nanosleep = true;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            _nanosleep = false;
        }
    }

    /// <summary>
    /// Returns the timestamp at which the wait ended: never before <paramref name="target"/>, unless
    /// <paramref name="cancellationToken"/> is cancelled (long waits sleep in slices of at most 50 ms
    /// so that a run at 1/h still stops at once).
    /// </summary>
    public long WaitUntil(long target, CancellationToken cancellationToken)
    {
        long now;
        if (_replies is { } replies)
        {
            // No spinning while this thread reads replies: a spin would take the core the store's server or another
            // reader needs on a small machine, and replies wake this wait as they arrive (the kernel's timer keeps
            // the start's own precision; its oversleep is measured as lag like any other).
            while ((now = Timing.Now) < target && !cancellationToken.IsCancellationRequested)
            {
                replies.Serve(Math.Min(target - now, MaximumSliceTicks));
            }

            return now;
        }

        var slept = false;
        while ((now = Timing.Now) < target - _marginTicks - MinimumMarginTicks)
        {
            slept = true;
            if (cancellationToken.IsCancellationRequested)
            {
                return now;
            }

            var wake = Math.Min(target - _marginTicks, now + MaximumSliceTicks);
            Sleep(wake - now);
            var woke = Timing.Now;
            if (wake == target - _marginTicks)
            {
                Adapt(woke - wake);
            }
        }

        if (now >= target)
        {
            return now;
        }

        if (!slept)
        {
            // Without sleeps there is no new evidence: let the margin shrink slowly so that a single
            // bad oversleep cannot keep the thread spinning for the rest of the run.
            _marginTicks = Math.Max(MinimumMarginTicks, _marginTicks - (_marginTicks / 256));
        }

        while ((now = Timing.Now) < target)
        {
            Thread.SpinWait(4);
        }

        return now;
    }

    /// <summary>
    /// Rises at once to a larger oversleep (up to 250 µs: a longer one is a preemption that no margin
    /// predicts), and decays towards the typical one.
    /// </summary>
    private void Adapt(long oversleep)
    {
        var wanted = oversleep + MinimumMarginTicks;
        _marginTicks = wanted > _marginTicks ? Math.Min(wanted, MaximumMarginTicks) : Math.Max(MinimumMarginTicks, _marginTicks - ((_marginTicks - wanted) / 16));
    }

    private void Sleep(long ticks)
    {
        if (!_nanosleep)
        {
            var ms = (int)(Timing.ToSeconds(ticks) * 1000);
            if (ms >= 1)
            {
                Thread.Sleep(ms);
            }

            return;
        }

        var request = Timespec.FromNanoseconds((long)(Timing.ToSeconds(ticks) * 1e9));
        _ = nanosleep(in request, IntPtr.Zero);
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int nanosleep(in Timespec request, IntPtr remaining);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int prctl(int option, ulong arg2, ulong arg3, ulong arg4, ulong arg5);
}
