using Benchmarks.Core.Recording;
using Benchmarks.Core.Running;
using Benchmarks.Core.Stores;

namespace Benchmarks.UnitTests.Execution;

[Collection(nameof(TimingSensitive))]
public sealed class ConstantArrivalRateExecutorTests : ExecutorTestBase
{
    [Fact]
    public async Task Constant_rate_runs_exactly_the_scheduled_operations_and_excludes_warmup()
    {
        var fake = new FakeStore();
        var outcome = await Run("{ executor: constant-arrival-rate, rate: 2000/s, duration: 1s, warmup: 500ms }", fake);
        var r = outcome.Result;
        Assert.Equal(2000, r.Load.Scheduled);
        Assert.Equal(2000, r.Total.Count);
        Assert.Equal(3000, fake.Completed);
        Assert.Equal(0, r.Load.Dropped);
        Assert.True(r.Load.CoordinatedOmissionCorrected);
        Assert.Equal(r.Total.Count, r.Intervals.Single(s => s.Operation == "total").Points.Sum(p => p.Count));
    }

    [Theory]
    [InlineData(1_000)]
    [InlineData(20_000)]
    [InlineData(100_000)]
    public async Task Achieved_rate_is_within_one_percent_of_target(int rate)
    {
        var outcome = await Run($"{{ executor: constant-arrival-rate, rate: {rate}/s, duration: 2s, warmup: 200ms, maxInFlight: 10000 }}");
        var r = outcome.Result;
        Assert.Equal(rate * 2, r.Total.Count);
        // The measured time ends with the last completion, so one stall of a shared host near the end stretches it
        // (a 38 ms one cost 1.9% at 100 000/s in CI). The executor's own share is what is asserted: no faster than the
        // schedule, within 1% of it once the generator's worst lateness (its scheduling lag, measured in the run) is
        // taken off the time, and most operations started on time, which a pacing loop that drifts cannot do.
        var lag = r.Generator.SchedulingLag!;
        Assert.True(r.Load.AchievedRatePerSecond <= rate * 1.01, $"achieved {r.Load.AchievedRatePerSecond}/s");
        var withoutLateness = r.Load.Completed / Math.Max(1e-3, r.DurationSeconds - (lag.Max / 1000));
        Assert.True(withoutLateness >= rate * 0.99,
            $"achieved {r.Load.AchievedRatePerSecond}/s over {r.DurationSeconds} s, {withoutLateness:0}/s without the generator's {lag.Max} ms of lateness");
        Assert.True(lag.P50 < 1, $"scheduling lag p50 {lag.P50} ms");
    }

    [Fact]
    public async Task A_stall_shows_in_corrected_latency_but_not_in_service_time()
    {
        // 1000/s for 4 s; the store stalls for 500 ms after 1.5 s. With 2 slots in flight, the
        // operations due during the stall wait for a slot with their intended times kept: about
        // 500 of 4000 are delayed by up to 500 ms, so the corrected p99 is near 460 ms, while the
        // service time only sees the two operations caught inside the stall.
        var outcome = await Run("{ executor: constant-arrival-rate, rate: 1000/s, duration: 4s, maxInFlight: 2 }", during: async store =>
        {
            await Task.Delay(1500);
            store.CloseGate();
            await Task.Delay(500);
            store.OpenGate();
        });
        var total = outcome.Result.Total;
        Assert.Equal(4000, total.Count);
        Assert.InRange(total.Latency.Corrected.P99, 350, 560);
        Assert.InRange(total.Latency.Corrected.Max, 450, 700);
        Assert.True(total.Latency.Uncorrected.P99 < 50, $"uncorrected p99 {total.Latency.Uncorrected.P99} ms");
        Assert.Equal(0, outcome.Result.Load.Dropped);
    }

    [Fact]
    public async Task Operations_that_wait_past_max_lag_are_dropped_and_fail_the_implicit_sla()
    {
        // About 350 operations fall due while the gate is shut and wait past 50 ms; how many more the
        // backlog loses after it opens depends on how fast this machine drains it, so only bounds are checked.
        var outcome = await Run("{ executor: constant-arrival-rate, rate: 1000/s, duration: 2s, maxInFlight: 8, maxLag: 50ms }", during: async store =>
        {
            await Task.Delay(500);
            store.CloseGate();
            await Task.Delay(400);
            store.OpenGate();
        });
        var r = outcome.Result;
        Assert.InRange(r.Load.Dropped, 250, 1000);
        Assert.Equal(r.Load.Scheduled, r.Total.Count + r.Load.Dropped);
        Assert.Equal(r.Load.Dropped, r.Intervals.Single(s => s.Operation == "total").Points.Sum(p => p.Dropped));
        var implicitSla = Assert.Single(r.Sla, v => v.Implicit);
        Assert.False(implicitSla.Passed);
        Assert.Equal("failed", r.Status);
    }

    [Fact]
    public async Task A_generator_that_falls_past_max_lag_by_itself_makes_the_run_invalid()
    {
        // A call that blocks its caller for 400 ms, started on the dispatcher's own thread: the operations due
        // meanwhile are 50 ms late without any wait for the store. The intended load was not offered.
        var store = new FakeStore();
        var outcome = await Run("{ executor: constant-arrival-rate, rate: 1000/s, duration: 2s, maxInFlight: 1000, maxLag: 50ms }", store, async s =>
        {
            await Task.Delay(700);
            s.BlockNextStart(TimeSpan.FromMilliseconds(400));
        });
        var r = outcome.Result;
        Assert.True(r.Status == "invalid", string.Join("; ", r.StatusReasons));
        Assert.True(r.Generator.DroppedByGenerator >= 200, $"{r.Generator.DroppedByGenerator}");
        Assert.Contains(r.StatusReasons, s => s.Contains("did not offer the intended load", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Calls_with_a_long_synchronous_part_are_started_off_the_dispatcher_and_delay_no_one_else()
    {
        // The same blocking call from a store that says so: one starter thread is held, the schedule is not.
        var store = new FakeStore { StartsInline = false };
        var outcome = await Run("{ executor: constant-arrival-rate, rate: 1000/s, duration: 2s, maxInFlight: 1000, maxLag: 50ms }", store, async s =>
        {
            await Task.Delay(700);
            s.BlockNextStart(TimeSpan.FromMilliseconds(400));
        });
        var r = outcome.Result;
        Assert.Equal(0, r.Load.Dropped);
        Assert.NotEqual("invalid", r.Status);
        Assert.Equal(r.Load.Scheduled, r.Total.Count);
        // Only the blocked operation itself waited 400 ms: the lag's p99.9 stays far below it.
        Assert.True(r.Generator.SchedulingLag!.P999 < 100, $"{r.Generator.SchedulingLag.P999} ms");
    }

    [Fact]
    public async Task A_noop_dispatch_at_high_rate_is_not_marked_saturated()
    {
        var catalog = new StoreCatalog([new NoopStoreFactory()]);
        var scenario = TestScenarios.Noop("{ executor: constant-arrival-rate, rate: 50000/s, duration: 1s, warmup: 200ms }");
        var outcome = await new ScenarioRunner(catalog).RunAsync(scenario, new RunOptions(Output, [], SilentProgress.Instance), TestContext.Current.CancellationToken);
        Assert.Equal(50_000, outcome.Result.Total.Count);
        Assert.NotNull(outcome.Result.Generator.SchedulingLag);
        Assert.Equal(50_000, outcome.Result.Generator.SchedulingLag!.Count);
    }
}
