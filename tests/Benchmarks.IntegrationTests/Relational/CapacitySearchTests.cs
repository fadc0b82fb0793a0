using System.Globalization;
using Benchmarks.Core.Results;
using Benchmarks.Core.Stores;
using Benchmarks.Stores.Relational.Registry;

namespace Benchmarks.IntegrationTests.Relational;

/// <summary>The capacity search against a real PostgreSQL: it ends, its capacity holds when run again at that rate, and its first failure does not.</summary>
public sealed class CapacitySearchTests(PostgresCluster cluster) : IClassFixture<PostgresCluster>, IDisposable
{
    private readonly Runs _runs = new(new StoreCatalog([RegistryDriverFactory.Postgres]));

    public void Dispose() => _runs.Dispose();

    [Fact]
    public async Task The_search_ends_and_its_capacity_passes_when_rerun_at_a_constant_rate()
    {
        // The knee is set by the server's clock, not by this machine's CPU: each statement sleeps
        // 15.5 ms in the server and at most 4 are in flight, so the store serves ~250/s whatever the
        // host does to the harness's share of a millisecond per statement. A knee set by CPU (the test
        // drove MGETs at redis-server until 2026-12-03) moves with a 2-vCPU host's mood by a third
        // within seconds, and a rate the search had just passed twice then failed most re-runs.
        // From 50/s doubling, the search passes 200/s (80 % of the knee) and fails 400/s, then 300/s
        // (120 %): its capacity is 200/s, confirmed, with a margin on both sides that this machine's
        // noise does not cross. The SLA (p90 < 200 ms) fails on sustained overload — at 300/s the
        // queue grows by 50 a second — and tolerates a stall of 100 ms, which the queue at 200/s drains
        // in 0.4 s. The generator's self-check is relaxed: at 16 ms latencies its default (a quarter
        // of the p99) would call a scheduling hiccup an invalid step, which this test is not about.
        var yaml = $$"""
            name: capacity-it
            store: { kind: postgres, connection: "{{cluster.Require()}}", poolSize: 4 }
            data: { keys: 10, keyPrefix: "m-" }
            workload: { distribution: uniform, mix: [ { op: sql, statement: "select pg_sleep(0.0155)" } ] }
            load: { executor: capacity-search, startRate: 50/s, growth: 2, precision: 50%, maxSteps: 8, duration: 2s, warmup: 2s, maxInFlight: 4, selfCheck: { maxLagShareOfP99: 1, maxSchedulingLagP99: 50ms } }
            sla: [ "p(90) < 200ms", "errors < 0.1%" ]
            """;
        var search = (await _runs.RunAsync(_runs.Load(yaml), TestContext.Current.CancellationToken)).Result;
        var capacity = search.Capacity!;
        var steps = string.Join("; ", capacity.Steps.Select(s => $"{s.TargetRatePerSecond}/s {s.Status} p99 {s.P99} dropped {s.Dropped}"));
        Assert.True(search.Status == RunStatus.Passed, $"{capacity.Conclusion} | {steps}");
        Assert.Equal(200, capacity.CapacityPerSecond);
        Assert.Equal(300, capacity.FirstFailingRatePerSecond);
        Assert.True(capacity.Steps.Count <= 8, steps);

        // The capacity must hold when run again at a constant rate, and the first failing rate must fail
        // again: a search that called an overloaded rate its capacity, or a failure luck, is caught here.
        // Each is run up to three times for two matching verdicts, so a spell of noise longer than a step
        // does not decide alone.
        foreach (var (rate, expected) in new[] { (200, RunStatus.Passed), (300, RunStatus.Failed) })
        {
            var verdicts = await VerdictsAsync(yaml, rate, expected);
            Assert.True(verdicts.Count(v => v.StartsWith(expected, StringComparison.Ordinal)) >= 2,
                $"re-runs at {rate}/s: {string.Join(" | ", verdicts)} | search: {steps}");
        }
    }

    /// <summary>The verdicts of constant-rate runs at <paramref name="rate"/>: at most three, until two are <paramref name="expected"/>.</summary>
    private async Task<List<string>> VerdictsAsync(string search, int rate, string expected)
    {
        var constant = search.Replace("executor: capacity-search, startRate: 50/s, growth: 2, precision: 50%, maxSteps: 8,",
            string.Create(CultureInfo.InvariantCulture, $"executor: constant-arrival-rate, rate: {rate}/s,"), StringComparison.Ordinal);
        var verdicts = new List<string>();
        for (var attempt = 0; attempt < 3 && verdicts.Count(v => v.StartsWith(expected, StringComparison.Ordinal)) < 2; attempt++)
        {
            var rerun = (await _runs.RunAsync(_runs.Load(constant.Replace("name: capacity-it", $"name: rerun-{rate}-{attempt}", StringComparison.Ordinal)),
                TestContext.Current.CancellationToken)).Result;
            verdicts.Add(rerun.Status == RunStatus.Passed ? rerun.Status : $"{rerun.Status}: {string.Join("; ", rerun.StatusReasons)}");
        }

        return verdicts;
    }
}
