using Benchmarks.Core.Results;
using Benchmarks.Reports.History;
using Benchmarks.UnitTests.Cli;
using Benchmarks.UnitTests.Reports;

namespace Benchmarks.UnitTests.History;

/// <summary>The run history: runs appended to a DuckDB file and read back in order, the trend against a rolling baseline, <c>bench history</c>.</summary>
public sealed class RunHistoryTests() : TempFolderTests("bench-history-")
{
    [Fact]
    public void Runs_read_back_in_order_with_their_figures_and_only_the_doubled_p99_is_flagged()
    {
        var file = FixedHistory.AppendThree(Path.Combine(Folder.FullName, "history.duckdb"), Folder.FullName);
        var runs = RunHistory.Read(file, "fixed", 10);
        Assert.Equal([1L, 2, 3], runs.Select(r => r.Sequence));
        Assert.Equal(runs.Select(r => r.StartTime).Order(), runs.Select(r => r.StartTime));
        Assert.Equal("c0ffee1000000000000", runs[1].Commit);
        var first = FixedRun.Create(Path.Combine(Folder.FullName, "expected")).Result;
        Assert.Equal(first.Total.Latency.Corrected.P99, runs[0].Total.P99);
        Assert.Equal(first.Total.Count, runs[0].Total.Count);
        Assert.Equal(first.Load.AchievedRatePerSecond, runs[0].AchievedRate);
        Assert.Equal(first.Sla.Select(v => (v.Threshold, v.Verdict)), runs[0].Verdicts.Select(v => (v.Threshold, v.Verdict)));
        Assert.Equal(first.Operations.Count + 1, runs[0].Operations.Count);
        Assert.Equal(2, RunHistory.Read(file, "fixed", 2)[0].Sequence); // the latest N, oldest first
        Assert.Empty(RunHistory.Read(file, "another", 10));

        var trend = HistoryTrend.Of(runs, 5, Core.Thresholds.GateTolerances.Defaults);
        Assert.Equal([false, false, true], trend.Select(p => p.Flagged));
        Assert.Equal(0, trend[0].BaselineRuns);
        var p99 = trend[2].Figures.Single(f => f.Metric == "p99");
        Assert.True(p99.Regressed);
        Assert.InRange(p99.ChangePercent!.Value, 80, 110); // against the median of 1.0× and 1.05×
        Assert.False(trend[1].Figures.Single(f => f.Metric == "p99").Regressed);

        // A latency must also grow beyond the gate's resolution: at 3 ms, the doubled p99 of ~2 ms is within it.
        var coarse = HistoryTrend.Of(runs, 5, Core.Thresholds.GateTolerances.Resolve(new Dictionary<string, double> { [Core.Thresholds.GateTolerances.Resolution] = 3 }));
        var within = coarse[2].Figures.Single(f => f.Metric == "p99");
        Assert.False(within.Regressed);
        Assert.InRange(within.TolerancePercent, 100 * 3 / within.Baseline!.Value - 0.01, 100 * 3 / within.Baseline!.Value + 0.01);
    }

    [Fact]
    public async Task Bench_history_prints_the_runs_in_order_writes_the_page_and_fails_when_the_latest_is_flagged()
    {
        var file = FixedHistory.AppendThree(Path.Combine(Folder.FullName, "history.duckdb"), Folder.FullName);
        var page = Path.Combine(Folder.FullName, "trend.html");
        var (code, stdout, stderr) = await CliHarness.RunAsync("history", "fixed", "--file", file, "--out", page);
        Assert.True(code == 1, $"exit {code}\n{stdout}\n{stderr}");
        var rows = stdout.Split('\n').Where(l => l.Contains("2026-11-", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, rows.Count);
        Assert.Contains("2026-11-26", rows[0], StringComparison.Ordinal);
        Assert.Contains("2026-11-28", rows[2], StringComparison.Ordinal);
        Assert.Contains("FLAGGED", rows[2], StringComparison.Ordinal);
        Assert.DoesNotContain("FLAGGED", rows[0] + rows[1], StringComparison.Ordinal);

        var html = await File.ReadAllTextAsync(page, TestContext.Current.CancellationToken);
        var order = new[] { "data-run=\"1\"", "data-run=\"2\"", "data-run=\"3\"" }.Select(r => html.IndexOf(r, StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(-1, order);
        Assert.Equal(order.Order(), order);
        Assert.Contains("data-run=\"3\" data-flagged=\"true\"", html, StringComparison.Ordinal);
        Assert.Contains("data-run=\"2\" data-flagged=\"false\"", html, StringComparison.Ordinal);

        // A wider tolerance is the user's to give: then nothing is flagged and the gate passes.
        Assert.Equal(0, (await CliHarness.RunAsync("history", "fixed", "--file", file, "--out", page, "--tolerance", "p99=200%", "--tolerance", "p50=200%")).Code);
    }

    [Fact]
    public async Task A_run_appends_itself_and_bad_history_input_is_exit_2_with_what_to_do()
    {
        var file = Path.Combine(Folder.FullName, "runs.duckdb");
        var (code, stdout, stderr) = await CliHarness.RunAsync("run", RepositoryRoot.File("scenarios/harness/noop-dispatch.yaml"), "--out", Path.Combine(Folder.FullName, "out"),
            "--set", "load.duration=1s", "--set", "load.warmup=0.5s", "--set", "load.rate=20000/s", "--history", file);
        Assert.True(code is 0 or 1, $"exit {code}\n{stdout}\n{stderr}");
        Assert.Contains("history: run 1 of", stdout, StringComparison.Ordinal);
        var result = ResultJson.TryRead(Path.Combine(Folder.FullName, "out", "noop-dispatch", OutputFileNames.Result))!;
        var run = Assert.Single(RunHistory.Read(file, "noop-dispatch", 10));
        Assert.Equal(result.Total.Count, run.Total.Count);
        Assert.Equal(result.Status, run.Status);
        Assert.Equal(result.Environment.HarnessVersion, run.HarnessVersion);

        var missing = await CliHarness.RunAsync("history", "noop-dispatch", "--file", Path.Combine(Folder.FullName, "none.duckdb"));
        Assert.Equal(2, missing.Code);
        Assert.Contains("bench run --history", missing.Err, StringComparison.Ordinal);
        var unknown = await CliHarness.RunAsync("history", "nope", "--file", file);
        Assert.Equal(2, unknown.Code);
        Assert.Contains("noop-dispatch (1)", unknown.Err, StringComparison.Ordinal);
        var notHistory = Path.Combine(Folder.FullName, "text.duckdb");
        await File.WriteAllTextAsync(notHistory, "not a database", TestContext.Current.CancellationToken);
        var wrong = await CliHarness.RunAsync("history", "x", "--file", notHistory);
        Assert.Equal(2, wrong.Code);
        Assert.DoesNotContain("   at ", wrong.Err, StringComparison.Ordinal);
        var agent = await CliHarness.RunAsync("run", RepositoryRoot.File("scenarios/harness/noop-dispatch.yaml"), "--agent", "0/2", "--start-at", "2026-12-02T00:00:00Z",
            "--out", Path.Combine(Folder.FullName, "agents"), "--history", file);
        Assert.Equal(2, agent.Code);
        Assert.Contains("bench merge RUN --history", agent.Err, StringComparison.Ordinal);
    }
}
