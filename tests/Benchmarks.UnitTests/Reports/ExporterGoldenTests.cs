using System.Globalization;
using System.Runtime.CompilerServices;
using System.Xml.Linq;
using Benchmarks.Core.Results;
using Benchmarks.Reports.Exporters;
using Benchmarks.Reports.Html;
using Benchmarks.UnitTests.Cli;

namespace Benchmarks.UnitTests.Reports;

/// <summary>
/// Golden files: the exporters' output for a fixed run, byte for byte. To accept an intended change,
/// run the tests with BENCH_UPDATE_GOLDEN=1 and review the diff of Reports/Golden/.
/// </summary>
public sealed class ExporterGoldenTests() : TempFolderTests("bench-golden-")
{
    private static string GoldenPath(string name, [CallerFilePath] string here = "") => Path.Combine(Path.GetDirectoryName(here)!, "Golden", name);

    /// <summary>
    /// Renders under the invariant culture, en-US and a comma-decimal culture (de-DE): the outputs are
    /// machine-read, so they must be byte for byte the same whatever the machine's culture.
    /// </summary>
    private static void AssertGolden(string name, Func<string> render)
    {
        var path = GoldenPath(name);
        var original = CultureInfo.CurrentCulture;
        try
        {
            foreach (var culture in new[] { CultureInfo.InvariantCulture, CultureInfo.GetCultureInfo("en-US"), CultureInfo.GetCultureInfo("de-DE") })
            {
                CultureInfo.CurrentCulture = culture;
                var actual = render();
                if (Environment.GetEnvironmentVariable("BENCH_UPDATE_GOLDEN") == "1" && culture.Equals(CultureInfo.InvariantCulture))
                {
                    File.WriteAllText(path, actual);
                }

                Assert.True(File.Exists(path), $"golden file {path} is missing: run with BENCH_UPDATE_GOLDEN=1 once");
                Assert.True(File.ReadAllText(path) == actual, $"{name} differs from its golden file under culture '{culture.Name}'");
            }
        }
        finally
        {
            CultureInfo.CurrentCulture = original;
        }
    }

    [Fact]
    public void Summary_markdown_matches_its_golden_file() =>
        AssertGolden("summary.md", () => MarkdownSummaryExporter.Render(FixedRun.Create(Folder.FullName).Result));

    [Fact]
    public void Junit_matches_its_golden_file() =>
        AssertGolden("junit.xml", () => JunitExporter.Render(FixedRun.Create(Folder.FullName).Result).ToString());

    [Fact]
    public void Result_json_matches_its_golden_file() =>
        AssertGolden("result.json", () => ResultJson.Serialize(FixedRun.Create(Folder.FullName).Result));

    [Fact]
    public void Hgrm_matches_its_golden_file() => AssertGolden("get.hgrm", () =>
    {
        var outcome = FixedRun.Create(Folder.FullName);
        new HgrmExporter().Export(outcome, outcome.OutputDirectory);
        return File.ReadAllText(Path.Combine(Folder.FullName, "get.hgrm"));
    });

    [Fact]
    public void The_html_page_is_the_same_under_every_culture()
    {
        var original = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
            var invariant = HtmlReport.Render("fixed", [FixedRun.Create(Folder.FullName)]);
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            var german = HtmlReport.Render("fixed", [FixedRun.Create(Folder.FullName)]);
            var at = Enumerable.Range(0, Math.Min(invariant.Length, german.Length)).FirstOrDefault(i => invariant[i] != german[i]);
            Assert.True(invariant == german, $"report.html depends on the culture: at {at}: '{invariant.Substring(Math.Max(0, at - 80), Math.Min(160, invariant.Length - Math.Max(0, at - 80)))}' vs '{german.Substring(Math.Max(0, at - 80), Math.Min(160, german.Length - Math.Max(0, at - 80)))}'");
            Assert.Contains("1.0", invariant, StringComparison.Ordinal);
        }
        finally
        {
            CultureInfo.CurrentCulture = original;
        }
    }

    [Fact]
    public void Junit_failures_carry_measured_and_target()
    {
        var outcome = FixedRun.Create(Folder.FullName);
        var failed = outcome.Result with { Sla = [outcome.Result.Sla[0] with { Passed = false, Measured = 3.5, Margin = -1.5 }], Status = "failed" };
        var xml = JunitExporter.Render(failed);
        var failure = Assert.Single(xml.Descendants("failure"));
        Assert.Equal("measured 3.5 ms, target < 2 ms (margin -1.5 ms)", failure.Attribute("message")!.Value);
        Assert.Equal("1", xml.Descendants("testsuite").Single().Attribute("failures")!.Value);
        Assert.Equal(2, xml.Descendants("testcase").Count());
    }

    [Fact]
    public void The_html_report_is_one_offline_file_with_the_verdict_first_and_every_chart()
    {
        var html = HtmlReport.Render("bench: fixed", [FixedRun.Create(Folder.FullName)]);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<?xml", html, StringComparison.Ordinal);
        Assert.True(html.IndexOf("<h3>SLA</h3>", StringComparison.Ordinal) < html.IndexOf("<h3>Latency distribution</h3>", StringComparison.Ordinal));
        Assert.Equal(5, CountOf(html, "<svg")); // get + total distributions, latency / throughput / errors over time
        Assert.Contains("SLA p(99) &lt; 2ms", html, StringComparison.Ordinal);
        Assert.Contains("99.9%", html, StringComparison.Ordinal);
        var ids = System.Text.RegularExpressions.Regex.Matches(html, "<clipPath id=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        _ = XDocument.Parse(html.Replace("<!DOCTYPE html>", "", StringComparison.Ordinal).Replace("&", "&amp;", StringComparison.Ordinal)
            .Replace("<meta charset=\"utf-8\">", "", StringComparison.Ordinal).Replace("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">", "", StringComparison.Ordinal));
    }

    [Fact]
    public void The_html_report_says_the_runtime_settings_a_run_had_and_nothing_for_results_without_them()
    {
        var run = FixedRun.Create(Folder.FullName);
        var current = HtmlReport.Render("bench: fixed", [run]);
        Assert.Contains("gen0 budget up to 64 MB", current, StringComparison.Ordinal);
        Assert.Contains("precompiled framework code off", current, StringComparison.Ordinal);
        var precompiled = run with { Result = run.Result with { Environment = run.Result.Environment with { ReadyToRun = true } } };
        Assert.Contains("precompiled framework code on", HtmlReport.Render("bench: fixed", [precompiled]), StringComparison.Ordinal);
        var older = run with { Result = run.Result with { Environment = run.Result.Environment with { GcGen0MaxBudgetBytes = 0, ReadyToRun = null } } };
        var html = HtmlReport.Render("bench: fixed", [older]);
        Assert.Contains("server GC False", html, StringComparison.Ordinal);
        Assert.DoesNotContain("gen0 budget", html, StringComparison.Ordinal);
        Assert.DoesNotContain("precompiled", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Store_metrics_the_request_unit_plan_and_first_errors_reach_every_report()
    {
        var run = FixedRun.Create(Folder.FullName);
        var ru = new StoreMetricSummary("RU", 1000, 2500, 250, 2.5, 2.9, 3.1, 9.5);
        var op = run.Result.Operations[0] with
        {
            Metrics = new Dictionary<string, StoreMetricSummary> { ["ru"] = ru },
            Errors = run.Result.Operations[0].Errors with { FirstMessages = new Dictionary<string, string> { ["timeout"] = "TimeoutException: the <first> one" } },
        };
        var result = run.Result with
        {
            Operations = [op],
            Total = run.Result.Total with { Metrics = new Dictionary<string, StoreMetricSummary> { ["ru"] = ru } },
            RequestUnits = Benchmarks.Core.Capacity.RequestUnitPlanner.Plan(2500, 1000, 10, 100, null),
        };
        var withMetrics = run with { Result = result };

        var html = HtmlReport.Render("bench: metrics", [withMetrics]);
        Assert.Contains("<h3>Store metrics</h3>", html, StringComparison.Ordinal);
        Assert.Contains("<td>ru</td><td>RU</td><td>1,000</td><td>2.5</td>", html, StringComparison.Ordinal);
        Assert.Contains("Provision <b>300 RU/s</b>", html, StringComparison.Ordinal);
        Assert.Contains("TimeoutException: the &lt;first&gt; one", html, StringComparison.Ordinal);
        var markdown = MarkdownSummaryExporter.Render(result);
        Assert.Contains("| get | ru | RU | 2.5 | 2.9 | 3.1 | 9.5 | 2,500 | 250 |", markdown, StringComparison.Ordinal);
        Assert.Contains("**300 RU/s** for 100 operations/s", markdown, StringComparison.Ordinal);
        Assert.Contains("TimeoutException: the <first> one", markdown, StringComparison.Ordinal);
    }

    private static int CountOf(string text, string what) => (text.Length - text.Replace(what, "", StringComparison.Ordinal).Length) / what.Length;
}
