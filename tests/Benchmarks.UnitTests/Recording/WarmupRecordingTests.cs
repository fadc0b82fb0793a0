using System.Linq.Expressions;
using Benchmarks.Core.Execution;
using Benchmarks.Core.Health;
using Benchmarks.Core.Recording;
using Benchmarks.Core.Running;
using Benchmarks.Core.Stores;
using Benchmarks.Core.Workload;

namespace Benchmarks.UnitTests.Recording;

/// <summary>
/// The warm-up runs the measured window's code, recording and interval taking included, into recorders that are thrown
/// away; the JIT's work in the measured window is counted and reported.
/// </summary>
public sealed class WarmupRecordingTests
{
    private sealed class Store : IStoreDriver, IStoreOperation
    {
        public Task<StoreInfo> ConnectAsync(CancellationToken cancellationToken) => Task.FromResult(new StoreInfo("t", "c", "1", null, null));

        public IStoreOperation CreateOperation(OperationDefinition operation, WorkloadContext workload) => this;

        public ErrorKind Classify(Exception error) => ErrorKind.Other;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        /// <summary>Sequences divisible by 5 fail; the others succeed after a yield (the asynchronous path).</summary>
        public async ValueTask ExecuteAsync(OperationRandom random, long sequence, CancellationToken cancellationToken)
        {
            await Task.Yield();
            if (sequence % 5 == 0)
            {
                throw new InvalidOperationException("failed");
            }
        }
    }

    [Fact]
    public async Task Warm_up_operations_are_recorded_apart_and_never_reach_the_measured_recorders()
    {
        var store = new Store();
        using var session = new RecordingSession(["op"], null, SilentProgress.Instance, Timing.Now);
        using var warmup = session.ForWarmup();
        var runner = new OperationRunner(store, [store], new OperationMix([1]), 1, session, CancellationToken.None, warmup);

        // Ten warm-up operations on a schedule (two fail), then four measured ones (one fails).
        for (var i = 1; i <= 10; i++)
        {
            await runner.RunAsync(i, Timing.Now, measured: false);
        }

        for (var i = 15; i <= 18; i++)
        {
            await runner.RunAsync(i, Timing.Now, measured: true);
        }

        warmup.Recorders[0].TakeInterval();
        session.Recorders[0].TakeInterval();
        Assert.Equal(8, warmup.Recorders[0].TotalCorrected.TotalCount);
        Assert.Equal(2, warmup.Recorders[0].TotalErrors);
        Assert.Equal(3, session.Recorders[0].TotalCorrected.TotalCount);
        Assert.Equal(1, session.Recorders[0].TotalErrors);
        // The scheduling lag of warm-up operations stays out of the measured window's too.
        warmup.Stop();
        session.Stop();
        Assert.Equal(10, warmup.TakeSchedulingLag()!.TotalCount);
        Assert.Equal(4, session.TakeSchedulingLag()!.TotalCount);
    }

    [Fact]
    public void The_warm_up_takes_its_intervals_every_50_ms_so_that_their_code_is_compiled_before_measurement()
    {
        using var session = new RecordingSession(["op"], null, SilentProgress.Instance, Timing.Now);
        using var warmup = session.ForWarmup();
        Assert.Equal(session.Recorders.Select(r => r.Name), warmup.Recorders.Select(r => r.Name));
        warmup.Start(Timing.Now, 0.6, null);
        Thread.Sleep(600);
        warmup.Stop();
        // About 12, fewer when the thread is starved (it runs at a lowered priority). A session taking its intervals every
        // second would have taken none in this time, and then the last at Stop: one.
        Assert.InRange(warmup.Series[0].Points.Count, 3, 30);
    }

    [Fact]
    public void The_monitor_counts_what_the_JIT_compiles_while_measuring()
    {
        using var monitor = new GeneratorMonitor();
        monitor.Start();
        // A new method, compiled when it is first called.
        var parameter = Expression.Parameter(typeof(int));
        var square = Expression.Lambda<Func<int, int>>(Expression.Multiply(parameter, parameter), parameter).Compile();
        Assert.Equal(49, square(7));
        var health = monitor.Stop();
        Assert.True(health.JitMethods >= 1, $"{health.JitMethods} methods compiled");
        Assert.True(health.JitTime > TimeSpan.Zero);
    }

    [Fact]
    public void JIT_work_above_half_a_percent_of_the_window_is_a_finding()
    {
        Assert.Null(ScenarioRunner.JitFinding(18, TimeSpan.FromMilliseconds(14), 15));
        var finding = ScenarioRunner.JitFinding(340, TimeSpan.FromMilliseconds(206), 15);
        Assert.NotNull(finding);
        Assert.Contains("340 methods in 206 ms", finding, StringComparison.Ordinal);
        Assert.Contains("1.4% of the window", finding, StringComparison.Ordinal);
    }
}
