using Benchmarks.Core.Results;
using Benchmarks.IntegrationTests.Redis;
using Benchmarks.UnitTests.Cli;
using Microsoft.Playwright;

namespace Benchmarks.IntegrationTests.Reports;

/// <summary>Reports from real runs: opened in a real headless browser, re-rendered from disk, and the gate between real runs.</summary>
public sealed class ReportTests : IAsyncLifetime
{
    private readonly DirectoryInfo _out = Directory.CreateTempSubdirectory("bench-report-it-");
    private RedisServer _redis = null!;

    public async ValueTask InitializeAsync() => _redis = await RedisServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await _redis.DisposeAsync();
        _out.Delete(recursive: true);
    }

    /// <remarks>
    /// Runs shorter than 7 s give the gate fewer samples than its rank test needs to reach α = 0.001, and it
    /// then judges by size alone: the repeat test, about noise, runs 10 s.
    /// </remarks>
    private string Scenario(string name, string duration = "6s")
    {
        var path = Path.Combine(_out.FullName, $"{name}.yaml");
        File.WriteAllText(path, Runs.Scenario(_redis.Connection, $"{{ executor: constant-arrival-rate, rate: 1000/s, duration: {duration}, warmup: 1s }}",
            extra: "sla: [ \"p(99) < 1s\", \"get.p(99.9) < 2s\", \"errors < 1%\" ]").Replace("name: it", $"name: {name}", StringComparison.Ordinal));
        return path;
    }

    private static async Task<string> RunAsync(string output, params string[] scenarios)
    {
        var (code, stdout, stderr) = await CliHarness.RunAsync(["run", .. scenarios, "--out", output]);
        Assert.True(code is 0 or 1 or 3, stdout + stderr);
        return output;
    }

    /// <summary>A copy of a run folder whose result.json has every latency (totals and per second) multiplied by <paramref name="factor"/>.</summary>
    private static string Slower(string run, string destination, double factor)
    {
        Directory.CreateDirectory(destination);
        foreach (var file in Directory.GetFiles(run))
        {
            File.Copy(file, Path.Combine(destination, Path.GetFileName(file)));
        }

        var r = ResultJson.Read(Path.Combine(run, "result.json"));
        Benchmarks.Core.Results.LatencySummary Scale(Benchmarks.Core.Results.LatencySummary l) => l with
        {
            P50 = l.P50 * factor, P90 = l.P90 * factor, P99 = l.P99 * factor, P999 = l.P999 * factor, P9999 = l.P9999 * factor,
            Max = l.Max * factor, Mean = l.Mean * factor, Min = l.Min * factor,
        };
        Benchmarks.Core.Results.OperationResult Op(Benchmarks.Core.Results.OperationResult o) =>
            o with { Latency = new Benchmarks.Core.Results.LatencyPair(Scale(o.Latency.Corrected), Scale(o.Latency.Uncorrected)) };
        var slower = r with
        {
            Operations = [.. r.Operations.Select(Op)],
            Total = Op(r.Total),
            Intervals = [.. r.Intervals.Select(s => s with
            {
                Points = [.. s.Points.Select(p => p with { P50 = p.P50 * factor, P90 = p.P90 * factor, P99 = p.P99 * factor, P999 = p.P999 * factor, Max = p.Max * factor })],
            })],
        };
        File.WriteAllText(Path.Combine(destination, "result.json"), ResultJson.Serialize(slower));
        return destination;
    }

    [Fact]
    public async Task The_html_reports_render_in_a_real_browser_with_every_chart_drawn_and_no_errors()
    {
        var suite = await RunAsync(Path.Combine(_out.FullName, "suite"), Scenario("first"), Scenario("second"));
        var (code, _, err) = await CliHarness.RunAsync("compare", Path.Combine(suite, "first"), Path.Combine(suite, "first"), "--out", Path.Combine(_out.FullName, "cmp"));
        Assert.True(code == 0, err);
        // The same gate must fail a run whose every latency is three times the baseline's: a gate that always passes would not.
        var slower = Slower(Path.Combine(suite, "first"), Path.Combine(_out.FullName, "slower"), 3);
        var (regressed, text, regressionErr) = await CliHarness.RunAsync("compare", Path.Combine(suite, "first"), slower, "--out", Path.Combine(_out.FullName, "cmp-slower"));
        Assert.True(regressed == 1, text + regressionErr);
        Assert.True(File.Exists(Path.Combine(_out.FullName, "cmp-slower", "report.html")));

        var (playwright, browser) = await HeadlessChromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;

        var pages = new[]
        {
            (Path.Combine(suite, "report.html"), 2, 12),
            (Path.Combine(suite, "first", "report.html"), 1, 6),
            (Path.Combine(_out.FullName, "cmp", "report.html"), 1, 6),
        };
        var artifacts = Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(artifacts);
        foreach (var (file, sections, charts) in pages)
        {
            var (page, problems) = await HeadlessChromium.OpenAsync(browser, file);

            Assert.Equal(sections, await page.Locator("section").CountAsync());
            var svgs = page.Locator("figure svg");
            Assert.Equal(charts, await svgs.CountAsync());
            for (var i = 0; i < charts; i++)
            {
                await HeadlessChromium.AssertDrawnAsync(svgs.Nth(i), $"chart {i} of {file}");
            }

            Assert.Contains("SLA", await page.Locator("section h3").First.InnerTextAsync(), StringComparison.Ordinal);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(artifacts, $"{Path.GetFileName(Path.GetDirectoryName(file))}-report.png"), FullPage = true });
            Assert.True(problems.Count == 0, string.Join("\n", problems));
        }
    }

    [Fact]
    public async Task Report_renders_the_same_files_again_from_result_json_and_the_hlog()
    {
        var run = Path.Combine(await RunAsync(Path.Combine(_out.FullName, "rerender"), Scenario("again")), "again");
        var before = new[] { "summary.md", "get.hgrm", "total.uncorrected.hgrm", "junit.xml" }.ToDictionary(f => f, f => File.ReadAllText(Path.Combine(run, f)));
        foreach (var f in before.Keys.Append("report.html"))
        {
            File.Delete(Path.Combine(run, f));
        }

        var (code, _, err) = await CliHarness.RunAsync("report", run);
        Assert.True(code == 0, err);
        foreach (var (file, text) in before)
        {
            Assert.Equal(text, File.ReadAllText(Path.Combine(run, file)));
        }

        Assert.True(File.Exists(Path.Combine(run, "report.html")));
    }

    [Fact]
    public async Task Runs_of_the_same_scenario_on_this_noisy_machine_pass_the_gate()
    {
        // At 1 000 GET/s a round trip is a few tenths of a millisecond here, and the host sets its level: runs of
        // this scenario had p50s from 0.14 to 0.27 ms, in a row and side by side, each confirmed by every second.
        // The gate's resolution (0.25 ms by default) is what lets them pass; the test beside this one checks
        // that a tripled latency still fails.
        var scenario = Scenario("repeat", "10s");
        var runs = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            runs.Add(Path.Combine(await RunAsync(Path.Combine(_out.FullName, $"repeat{i}"), scenario), "repeat"));
        }

        foreach (var (a, b) in new[] { (0, 1), (1, 2), (0, 2), (2, 0) })
        {
            var (code, stdout, _) = await CliHarness.RunAsync("compare", runs[a], runs[b], "--out", Path.Combine(_out.FullName, $"cmp{a}{b}"));
            Assert.True(code == 0, $"run {b} against run {a}:\n{stdout}");
        }

        Assert.True(ResultJson.Read(Path.Combine(runs[0], "result.json")).Intervals.Single(s => s.Operation == "total").Points.Count >= 10);
    }
}
