using Benchmarks.Core.Results;
using Benchmarks.Core.Stores;
using Benchmarks.Stores.Redis;
using Benchmarks.Stores.Relational.Postgres;
using Benchmarks.Stores.Relational.Registry;
using Benchmarks.UnitTests.Cli;

namespace Benchmarks.IntegrationTests.Faults;

/// <summary>Scripted faults against real servers the harness starts: what each phase measures, when errors appear, how long recovery takes.</summary>
public sealed class FaultTests : IDisposable
{
    private readonly Runs _runs = new(new StoreCatalog([new RedisDriverFactory(), RegistryDriverFactory.Postgres]));

    public void Dispose() => _runs.Dispose();

    private static void RequireRedisServer()
    {
        if (Requirements.FindOnPath("redis-server") is null)
        {
            Requirements.Unavailable("redis-server", "sudo apt-get install -y redis-server");
        }
    }

    private static string Redis(string faults, string duration = "8s") => $$"""
        name: fault-it
        store: { kind: redis, connection: local }
        data: { keys: 1000, value: { kind: bytes, bytes: 64 } }
        workload: { mix: [ { op: get } ] }
        load: { executor: constant-arrival-rate, rate: 1000/s, duration: {{duration}}, warmup: 1s, maxInFlight: 5000, drainTimeout: 20s, {{Runs.RelaxedSelfCheck}} }
        sla: [ "p(99) < 50ms", "recovery < 2s" ]
        faults: {{faults}}
        """;

    private static PhaseResult Phase(RunResult r, string phase) => r.Phases!.Single(p => p.Phase == phase);

    private static string Describe(ErrorCounts errors) =>
        $"{errors.Total} errors: " + string.Join("; ", errors.ByKind.Select(k => $"{k.Key} {k.Value} ({errors.FirstMessages?.GetValueOrDefault(k.Key)})"));

    [Fact]
    public async Task A_two_second_pause_shows_in_the_during_phase_as_theory_predicts_and_nowhere_else()
    {
        RequireRedisServer();
        var r = (await _runs.RunAsync(_runs.Load(Redis("[ { at: 3s, action: pause, duration: 2s } ]")), TestContext.Current.CancellationToken)).Result;

        var fault = Assert.Single(r.Faults!);
        Assert.Null(fault.Error);
        var paused = fault.EndSeconds!.Value - fault.StartSeconds!.Value;
        Assert.InRange(paused, 1.99, 2.2);
        var during = Phase(r, Phases.During).Total;
        // During a pause of D at rate R, the R·D operations due in it wait from D down to nothing: uniform on (0, D).
        // Among the phase's N operations the p99 is the (0.01·N)-th largest of those: D - 0.01·N / R.
        var theory = 1000 * (paused - (0.01 * during.Count / 1000.0));
        Assert.InRange(during.Latency.Corrected.P99, 0.9 * theory, 1.1 * theory);
        Assert.InRange(during.Count, 1900, 3300);
        Assert.True(Phase(r, Phases.Before).Total.Latency.Corrected.P99 < 50, $"before: {Phase(r, Phases.Before).Total.Latency.Corrected.P99} ms");
        Assert.True(Phase(r, Phases.After).Total.Latency.Corrected.P99 < 50, $"after: {Phase(r, Phases.After).Total.Latency.Corrected.P99} ms");
        Assert.Equal(0, r.Total.Errors.Total);
        Assert.NotNull(fault.RecoverySeconds);
        Assert.InRange(fault.RecoverySeconds!.Value, 0, 2);
        Assert.Contains(r.Sla, v => v.Threshold == "recovery < 2s" && v.Passed);
        // The whole window's p99 is the pause's: the SLA on it fails, validly.
        Assert.Equal(RunStatus.Failed, r.Status);
    }

    [Fact]
    public async Task A_drill_run_through_the_cli_draws_its_fault_on_every_time_chart_and_renders_without_errors()
    {
        RequireRedisServer();
        var folder = Directory.CreateTempSubdirectory("bench-fault-cli-");
        try
        {
            var file = Path.Combine(folder.FullName, "drill.yaml");
            File.WriteAllText(file, Redis("[ { at: 2s, action: pause, duration: 1s } ]", "5s"));
            var (code, output, err) = await CliHarness.RunAsync("run", file, "--out", folder.FullName);
            Assert.True(code == 1, output + err); // the pause fails the whole window's p99 < 50ms
            Assert.Contains("fault pause store: planned at 2 s for 1 s, actual", output, StringComparison.Ordinal);
            Assert.Contains("phases: before", output, StringComparison.Ordinal);
            var run = Path.Combine(folder.FullName, "fault-it");
            Assert.Contains("| pause | store | at 2 s for 1 s |", File.ReadAllText(Path.Combine(run, "summary.md")), StringComparison.Ordinal);

            var (playwright, browser) = await Reports.HeadlessChromium.LaunchAsync();
            using var _ = playwright;
            await using var __ = browser;
            var (page, problems) = await Reports.HeadlessChromium.OpenAsync(browser, Path.Combine(run, "report.html"));
            var overTime = page.Locator("figure svg").Filter(new() { HasText = "per second" });
            Assert.Equal(3, await overTime.CountAsync());
            for (var i = 0; i < 3; i++)
            {
                Assert.Contains("fault: pause store", await overTime.Nth(i).InnerHTMLAsync(), StringComparison.Ordinal);
            }

            Assert.True(problems.Count == 0, string.Join("\n", problems));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_slowed_redis_server_answers_nothing_for_its_duration_and_errs_nowhere()
    {
        RequireRedisServer();
        var r = (await _runs.RunAsync(_runs.Load(Redis("[ { at: 3s, action: slow, duration: 1s } ]", "6s")), TestContext.Current.CancellationToken)).Result;

        var fault = Assert.Single(r.Faults!);
        Assert.Null(fault.Error);
        Assert.InRange(fault.EndSeconds!.Value - fault.StartSeconds!.Value, 0.95, 1.5);
        // DEBUG SLEEP blocks the server: what was due at its start waits the whole second.
        Assert.InRange(Phase(r, Phases.During).Total.Latency.Corrected.Max, 900, 1600);
        Assert.True(Phase(r, Phases.Before).Total.Latency.Corrected.P99 < 50, $"before: {Phase(r, Phases.Before).Total.Latency.Corrected.P99} ms");
        Assert.Equal(0, r.Total.Errors.Total);
    }

    [Fact]
    public async Task A_killed_and_restarted_redis_server_errs_only_around_its_fault_and_the_run_completes()
    {
        RequireRedisServer();
        var r = (await _runs.RunAsync(_runs.Load(Redis("[ { at: 3s, action: kill, duration: 1s } ]", "9s"), "store.operationTimeout=500ms"),
            TestContext.Current.CancellationToken)).Result;

        var fault = Assert.Single(r.Faults!);
        Assert.Null(fault.Error);
        Assert.NotNull(fault.EndSeconds);
        var during = Phase(r, Phases.During).Total;
        Assert.True(during.Errors.Total > 100, $"errors during: {during.Errors.Total}");
        Assert.Equal(during.Errors.Total, during.Errors.ByKind["connection"] + during.Errors.ByKind["timeout"]);
        Assert.Equal(0, Phase(r, Phases.Before).Total.Errors.Total);
        // StackExchange.Redis notices the restarted server on its next heartbeat (1 s) and reconnects: measured 1.9 s after
        // the server answered again, so its own calls fail until then. From two seconds after the restart on, every call is answered.
        var after = r.Intervals.Single(s => s.Operation == "total").Points.Where(p => p.StartSeconds - r.Intervals[0].Points[0].StartSeconds >= fault.EndSeconds!.Value + 2).ToList();
        Assert.NotEmpty(after);
        Assert.All(after, p => Assert.Equal(0, p.Errors));
        Assert.NotNull(fault.RecoverySeconds);
        Assert.True(Phase(r, Phases.After).Total.Count > 2000, $"after: {Phase(r, Phases.After).Total.Count}");
    }

    private static string Postgres(string faults, string sla) => $$"""
        name: pg-fault-it
        store: { kind: postgres, connection: local, poolSize: 8, registry: { versionsPerModel: 2, metadataBytes: 200, tagsPerModel: 2 } }
        data: { keys: 2000, keyPrefix: "model-" }
        workload: { mix: [ { op: lookup } ] }
        load: { executor: constant-arrival-rate, rate: 500/s, duration: 6s, warmup: 1s, maxInFlight: 2000, {{Runs.RelaxedSelfCheck}} }
        sla: {{sla}}
        faults: {{faults}}
        """;

    private static void RequirePostgres()
    {
        if (LocalPostgres.FindBinaries() is null)
        {
            Requirements.Unavailable("PostgreSQL server binaries (postgres, initdb)", "sudo apt-get install -y postgresql");
        }
    }

    [Fact]
    public async Task A_slowed_postgresql_holds_the_workloads_table_for_the_duration_and_errs_nowhere()
    {
        RequirePostgres();
        var r = (await _runs.RunAsync(_runs.Load(Postgres("[ { at: 3s, action: slow, duration: 1s } ]", "[ \"before.p(99) < 100ms\" ]")),
            TestContext.Current.CancellationToken)).Result;

        var fault = Assert.Single(r.Faults!);
        Assert.Null(fault.Error);
        Assert.InRange(fault.EndSeconds!.Value - fault.StartSeconds!.Value, 0.95, 1.6);
        // Every lookup waits on the exclusive lock: what was due at its start waits the whole second.
        Assert.InRange(Phase(r, Phases.During).Total.Latency.Corrected.Max, 900, 2000);
        Assert.True(r.Total.Errors.Total == 0, Describe(r.Total.Errors));
        Assert.Equal(RunStatus.Passed, r.Status);
    }

    [Theory]
    [InlineData("npgsql")]
    [InlineData("lean")]
    public async Task Dropped_postgresql_connections_err_only_in_their_window_and_the_pool_recovers(string client)
    {
        RequirePostgres();
        var r = (await _runs.RunAsync(_runs.Load(Postgres("[ { at: 3s, action: drop-connections } ]", "[ \"p(99) < 100ms\", \"after.errors == 0\" ]"), $"store.client={client}"),
            TestContext.Current.CancellationToken)).Result;

        var fault = Assert.Single(r.Faults!);
        Assert.Null(fault.Error);
        var during = Phase(r, Phases.During).Total;
        if (client == "npgsql")
        {
            // Npgsql learns that a pooled session was terminated when it next uses it: those statements fail.
            Assert.True(during.Errors.Total > 0, "terminated sessions fail the statements on them");
        }
        else
        {
            // The lean client's poller reads the server's goodbye as it comes: an idle session is replaced before
            // its next use, and only a call in flight on a terminated session fails, as a connection error.
            Assert.True(during.Errors.Total == during.Errors.ByKind.GetValueOrDefault("connection"), Describe(during.Errors));
        }

        Assert.Equal(0, Phase(r, Phases.Before).Total.Errors.Total);
        Assert.Equal(0, Phase(r, Phases.After).Total.Errors.Total);
        Assert.Contains(r.Sla, v => v.Threshold == "after.errors == 0" && v.Passed);
        Assert.NotNull(fault.RecoverySeconds);
    }
}
