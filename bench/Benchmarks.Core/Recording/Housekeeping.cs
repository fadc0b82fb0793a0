using System.Runtime.InteropServices;

namespace Benchmarks.Core.Recording;

/// <summary>
/// The harness's housekeeping threads (the once-a-second interval snapshot with its .hlog lines and reports, the
/// generator monitor) give way to the threads that start and complete operations. On Linux each of them lowers its
/// own priority (<see cref="Nice"/> steps of nice below the process's; raising a nice value needs no privilege): the
/// scheduler then lets a waking dispatcher run at once instead of after the housekeeper's time slice. Measured on 2
/// vCPUs (perf sched): the snapshot thread ran 4.3 ms at a stretch once a second on the dispatcher's core, and the
/// dispatcher, woken for its next start, waited those 4.3 ms. With the kernel's autogroups (most desktop and server
/// distributions) the nice value weighs threads only within the session's scheduling group, so stores started as
/// services are not affected; a housekeeper with nothing competing runs as before.
/// </summary>
public static partial class Housekeeping
{
    /// <summary>About a tenth of a normal thread's weight when both want the same core.</summary>
    public const int Nice = 10;

    private const int PrioProcess = 0;
    private const int Lowest = 19;

    /// <summary>Lowers the calling thread's priority; false where that is not possible (not Linux, or refused).</summary>
    public static bool LowerCurrentThread()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            // On Linux a thread is a task of its own: PRIO_PROCESS with its thread id sets this thread's nice only.
            // Relative to what the thread has, so that a harness started with `nice` is never raised.
            return CurrentThreadNice() is { } nice && setpriority(PrioProcess, gettid(), Math.Min(Lowest, nice + Nice)) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    /// <summary>The calling thread's nice value (Linux); null elsewhere.</summary>
    public static int? CurrentThreadNice()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        Marshal.SetLastPInvokeError(0);
        var nice = getpriority(PrioProcess, gettid());
        return nice == -1 && Marshal.GetLastPInvokeError() != 0 ? null : nice;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setpriority(int which, int who, int prio);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int getpriority(int which, int who);

    [LibraryImport("libc")]
    private static partial int gettid();
}
