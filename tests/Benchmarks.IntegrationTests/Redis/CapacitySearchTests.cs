using Benchmarks.Core.Results;

namespace Benchmarks.IntegrationTests.Redis;

/// <summary>The capacity search against a real redis-server: it ends, and its answer holds when run again at that rate.</summary>
public sealed class CapacitySearchTests : IDisposable
{
    private readonly Runs _runs = new();

    public void Dispose() => _runs.Dispose();

    [Fact]
    public async Task The_search_ends_and_its_capacity_passes_when_rerun_at_a_constant_rate()
    {
        // Two requests in flight at most (a pool-limited client) and MGETs of 50 x 4 KB: the capacity is
        // set by the store's service time, well below what the generator itself can drive on 2 cores.
        // The SLA (p90 < 200 ms, no drop before 5 s) fails on sustained overload, not on this VM's
        // hiccups: near the knee one 100 ms stall builds a queue that a 2 s step drains slowly, and a
        // tight SLA then passes or fails a re-run by luck. A verdict that depends on the queue really
        // growing is the same on every run, which is what re-running at the capacity checks. The
        // generator's self-check is relaxed for the same reason: at 1 ms latencies its default (a
        // quarter of the p99) turns a scheduling hiccup into an invalid step, which this test is not about.
        await using var redis = await RedisServer.StartAsync();
        var yaml = $$"""
            name: capacity-it
            store: { kind: redis, connection: "{{redis.Connection}}", connections: 2 }
            data: { keys: 2000, value: { kind: bytes, bytes: 4096 } }
            workload: { distribution: uniform, mix: [ { op: mget, keys: 50 } ] }
            load: { executor: capacity-search, startRate: 1000/s, growth: 2, precision: 50%, maxSteps: 8, duration: 2s, warmup: 2s, maxInFlight: 2, selfCheck: { maxLagShareOfP99: 1, maxSchedulingLagP99: 50ms } }
            sla: [ "p(90) < 200ms", "errors < 0.1%" ]
            """;
        var search = (await _runs.RunAsync(_runs.Load(yaml), TestContext.Current.CancellationToken)).Result;
        var capacity = search.Capacity!;
        var steps = string.Join("; ", capacity.Steps.Select(s => $"{s.TargetRatePerSecond}/s {s.Status} p99 {s.P99} dropped {s.Dropped}"));
        Assert.True(search.Status == RunStatus.Passed, $"{capacity.Conclusion} | {steps}");
        Assert.NotNull(capacity.CapacityPerSecond);
        Assert.NotNull(capacity.FirstFailingRatePerSecond);
        Assert.True(capacity.Steps.Count <= 8);

        var rate = capacity.CapacityPerSecond!.Value;
        var constant = yaml.Replace("name: capacity-it", "name: capacity-rerun", StringComparison.Ordinal)
            .Replace("executor: capacity-search, startRate: 1000/s, growth: 2, precision: 50%, maxSteps: 8,",
                $"executor: constant-arrival-rate, rate: {rate.ToString(System.Globalization.CultureInfo.InvariantCulture)}/s,", StringComparison.Ordinal);
        // Near the knee a verdict is a draw from noise (2 s windows, a 2-core machine shared with the server):
        // the capacity must hold in 3 re-runs of at most 7. The machine's noise comes in spells of several
        // seconds, so re-runs back to back fail together: with 3 of at most 5, one CI run failed three in a
        // row (p90 0.3-0.8 s) at a rate the search had just passed twice. A search that overshoots the knee
        // still fails this: the first failing rate had a p99 of half a second in every run seen.
        var verdicts = new List<string>();
        for (var attempt = 0; attempt < 7 && verdicts.Count(v => v == RunStatus.Passed) < 3 && verdicts.Count(v => v != RunStatus.Passed) < 5; attempt++)
        {
            var rerun = (await _runs.RunAsync(_runs.Load(constant.Replace("name: capacity-rerun", $"name: capacity-rerun{attempt}", StringComparison.Ordinal)),
                TestContext.Current.CancellationToken)).Result;
            verdicts.Add(rerun.Status == RunStatus.Passed ? rerun.Status : $"{rerun.Status}: {string.Join("; ", rerun.StatusReasons)}");
            if (rerun.Status != RunStatus.Passed)
            {
                await Task.Delay(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken); // let a spell of noise pass
            }
        }

        Assert.True(verdicts.Count(v => v == RunStatus.Passed) >= 3, $"re-runs at {rate}/s: {string.Join(" | ", verdicts)} | search: {steps}");
    }
}
