using Benchmarks.Core.Recording;

namespace Benchmarks.UnitTests.Recording;

/// <summary>The once-a-second snapshot runs at a lower priority than the threads that start and complete operations.</summary>
public sealed class HousekeepingTests
{
    [Fact]
    public void Lowering_a_thread_lowers_that_thread_only()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "thread priorities are lowered on Linux only");
        var before = Housekeeping.CurrentThreadNice();
        int? lowered = null;
        var thread = new Thread(() =>
        {
            Assert.True(Housekeeping.LowerCurrentThread());
            lowered = Housekeeping.CurrentThreadNice();
        });
        thread.Start();
        thread.Join();
        Assert.Equal(Math.Min(19, before!.Value + Housekeeping.Nice), lowered);
        Assert.Equal(before, Housekeeping.CurrentThreadNice());
    }

    [Fact]
    public void The_interval_snapshot_runs_on_a_lowered_thread()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "thread priorities are lowered on Linux only");
        var mine = Housekeeping.CurrentThreadNice();
        using var session = new RecordingSession([new RecorderPlan("op", "op", null, [])], null, SilentProgress.Instance, Timing.Now);
        int? seen = null;
        using var taken = new ManualResetEventSlim();
        session.IntervalSink = _ =>
        {
            seen ??= Housekeeping.CurrentThreadNice();
            taken.Set();
        };
        // Started a second ago: the first interval is due at once, on the snapshot thread.
        session.Start(Timing.Now - Timing.TicksPerSecond, 5, null);
        Assert.True(taken.Wait(TimeSpan.FromSeconds(10)), "no interval was taken");
        session.Stop();
        Assert.Equal(Math.Min(19, mine!.Value + Housekeeping.Nice), seen);
    }
}
