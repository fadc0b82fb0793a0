using System.Text.RegularExpressions;
using Benchmarks.Core.Capacity;
using Benchmarks.Core.Results;
using Benchmarks.Core.Thresholds;
using Benchmarks.Reports.Gate;
using Benchmarks.Reports.Html;
using Benchmarks.UnitTests.Cli;

namespace Benchmarks.UnitTests.Reports;

/// <summary>The capacity planner's page, from a fixed search with overloaded, inconclusive and repeated steps.</summary>
public sealed partial class CapacityPageTests() : TempFolderTests("bench-capacity-page-")
{
    [Fact]
    public void The_passing_curve_has_one_point_per_rate_in_rate_order_and_every_other_step_is_kept_off_it()
    {
        var curve = CapacityCurve.From(FixedCapacityRun.Create(Folder.FullName).Result.Capacity!);

        Assert.Equal([100.0, 200, 400, 800, 1600, 1700], curve.Passing.Select(p => p.OfferedPerSecond));
        // 1700/s passed twice: its worse p99 is on the curve, the other measurement is a repeat.
        Assert.Equal(36.0, curve.Passing[^1].P99);
        Assert.Contains(curve.Others, p => p is { OfferedPerSecond: 1700, Kind: StepKind.Passed, Repeat: true, P99: 31.5 });
        Assert.Equal([2400.0, 3200], curve.Others.Where(p => p.Kind == StepKind.Overloaded).Select(p => p.OfferedPerSecond));
        Assert.Equal([2000.0], curve.Others.Where(p => p.Kind == StepKind.Failed && !p.Repeat).Select(p => p.OfferedPerSecond));
        Assert.Contains(curve.Others, p => p is { OfferedPerSecond: 1800, Kind: StepKind.Inconclusive, Repeat: true });
        Assert.Contains(curve.Others, p => p is { OfferedPerSecond: 1800, Kind: StepKind.Failed, Repeat: true });
        Assert.Equal(12, curve.Passing.Count + curve.Others.Count);
    }

    [Theory]
    [InlineData(0.5, 2200, new[] { 0.1, 1, 10, 100, 1000, 10000 })]
    [InlineData(0.2, 8, new[] { 0.1, 0.2, 0.5, 1, 2, 5, 10 })]
    [InlineData(3, 3, new[] { 1, 2, 5, 10.0 })]
    public void The_latency_axis_ticks_are_logarithmic(double min, double max, double[] expected)
    {
        var (positions, labels) = Charts.LogTicks(min, max);
        Assert.Equal(expected.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)), labels);
        Assert.Equal(expected.Select(Math.Log10), positions, (a, b) => Math.Abs(a - b) < 1e-9);
    }

    [Fact]
    public void The_page_draws_the_curve_on_a_log_axis_lists_its_points_in_rate_order_and_marks_overloaded_steps()
    {
        var html = HtmlReport.Render("capacity", [FixedCapacityRun.Create(Folder.FullName)]);

        var rows = CurveRows().Matches(Section(html, "capacity-curve")).Select(m => (Kind: m.Groups[1].Value, Offered: m.Groups[2].Value, Drawn: m.Groups[3].Value)).ToList();
        var curve = rows.Where(r => r.Drawn == "curve").ToList();
        Assert.Equal(["100", "200", "400", "800", "1,600", "1,700"], curve.Select(r => r.Offered));
        Assert.All(curve, r => Assert.Equal("passed", r.Kind));
        Assert.Equal(["2,400", "3,200"], rows.Where(r => r.Kind == "overloaded").Select(r => r.Offered));
        Assert.All(rows.Where(r => r.Kind != "passed"), r => Assert.Contains("not joined", r.Drawn, StringComparison.Ordinal));

        // The latency axis's tick labels, as drawn, are the decades from below the lowest p50 to above the highest
        // p99.9: a linear axis would label 0, 500, 1000, ...
        var svg = Figure(html, "capacity-curve");
        var texts = SvgText().Matches(svg).Select(m => m.Groups[1].Value.Trim()).ToList();
        var axis = texts.IndexOf("latency (ms, log scale)");
        Assert.True(axis >= 0, string.Join(" | ", texts));
        Assert.Equal(["1", "10", "100", "1000", "10000"], texts.Skip(axis + 1).TakeWhile(t => double.TryParse(t, System.Globalization.CultureInfo.InvariantCulture, out _)));
        Assert.Contains("overloaded", svg, StringComparison.Ordinal);
        Assert.Contains("capacity 1700/s", svg, StringComparison.Ordinal);
        Assert.Contains("achieved = offered", Figure(html, "saturation"), StringComparison.Ordinal);
    }

    [Fact]
    public void The_what_if_table_sizes_the_seed_rate_and_says_where_each_rate_came_from()
    {
        var html = HtmlReport.Render("capacity", [FixedCapacityRun.Create(Folder.FullName)]);
        // 50,000/s at 1,700/s per node planned at 70% = 1,190/s: 42.02 -> 43 nodes.
        ContainsAll(Section(html, "what-if"), "<td>50,000</td>", "Azure Database for PostgreSQL (50K requests/s)", "<td>43</td>", "no price given");
    }

    [Fact]
    public void What_if_worked_examples()
    {
        // Redis, no sizing: section: the seed's 1M ops/s with 30% headroom at 50,000/s a node (35,000 planned): 28.6 -> 29 nodes.
        var redis = Assert.Single(Sizing.WhatIf(50_000, null, "redis"));
        Assert.Equal((1_000_000.0, 29, 30.0), (redis.TargetRatePerSecond, redis.Nodes, redis.HeadroomPercent));
        Assert.Null(redis.MonthlyCost);

        // With sizing: 200k/s at 250 a node: 6 nodes, 1,500 a month, 1000 / 35,000 x 250 = 7.14 per 1,000 ops/s; then the seed's rate.
        var rows = Sizing.WhatIf(50_000, new SizingInputs(200_000, 30, 250, null, null), "redis");
        Assert.Equal([200_000.0, 1_000_000], rows.Select(r => r.TargetRatePerSecond));
        Assert.Equal([6, 29], rows.Select(r => r.Nodes));
        Assert.Equal([1_500.0, 7_250], rows.Select(r => r.MonthlyCost!.Value));
        Assert.Equal(7.14, rows[0].MonthlyCostPer1000PerSecond);
        Assert.Equal("sizing.targetRate", rows[0].TargetSource);

        // Cosmos: 2.37 RU an operation, 1,234/s, 10% headroom: 1234 x 2.37 / 0.9 = 3,249.5 RU/s -> 3,300 (steps of 100);
        // the seed's 10M/s: 26,333,333.3 -> 26,333,400 RU/s at 5.84 per 100 RU/s a month.
        var cosmos = Sizing.WhatIf(8_000, new SizingInputs(1_234, 10, null, 2.37, 5.84), "cosmos");
        Assert.Equal([3_300.0, 26_333_400], cosmos.Select(r => r.RequestUnitsPerSecond!.Value));
        Assert.Equal(1_537_870.56, cosmos[1].RequestUnitsMonthlyCost!.Value, 2);
        Assert.Equal(153.79, cosmos[0].MonthlyCostPer1000PerSecond);

        // A store the seed gives no figure for, and no sizing: nothing to size.
        Assert.Empty(Sizing.WhatIf(100, null, "analytics"));
    }

    [Fact]
    public void The_suite_page_summarises_capacity_across_stores()
    {
        var html = HtmlReport.Render("suite", [FixedCapacityRun.Create(Folder.FullName), FixedRun.Create(Folder.FullName)]);
        var table = Section(html, "capacity-summary");
        ContainsAll(table, "registry-capacity", "1,700/s", "p(99) &lt; 50ms", "the store: at 1800/s");
        Assert.DoesNotContain(">fixed<", table, StringComparison.Ordinal);
    }

    [Fact]
    public void Comparing_capacity_searches_gates_the_capacity_against_the_searches_precision()
    {
        var baseline = FixedCapacityRun.Create(Folder.FullName).Result;
        var same = RunComparer.Compare(baseline, baseline, GateTolerances.Resolve(baseline.Scenario.Gate));
        Assert.False(same.Regressed);
        Assert.Equal(Verdicts.Same, same.Metrics.Single(m => m.Metric == "capacity").Verdict);

        var lower = RunComparer.Compare(baseline, FixedCapacityRun.Create(Folder.FullName, scale: 0.7).Result, GateTolerances.Resolve(baseline.Scenario.Gate));
        var capacity = lower.Metrics.Single(m => m.Metric == "capacity");
        Assert.Equal((Verdicts.Regression, 1700.0, 1190.0), (capacity.Verdict, capacity.Baseline, capacity.Current));
        // The steps at the two capacities ran at different rates: their latencies are reported, not gated.
        Assert.All(lower.Metrics.Where(m => m.Metric.StartsWith('p')), m => Assert.Equal(Verdicts.Info, m.Verdict));

        var none = baseline with { Capacity = baseline.Capacity! with { CapacityPerSecond = null, Conclusion = "even the start rate 100/s broke the SLA: start lower" } };
        var lost = RunComparer.Compare(baseline, none, GateTolerances.Resolve(baseline.Scenario.Gate));
        Assert.Equal(Verdicts.Regression, lost.Metrics.Single(m => m.Metric == "capacity").Verdict);

        var higher = RunComparer.Compare(baseline, FixedCapacityRun.Create(Folder.FullName, scale: 1.3).Result, GateTolerances.Resolve(baseline.Scenario.Gate));
        Assert.Equal(Verdicts.Improvement, higher.Metrics.Single(m => m.Metric == "capacity").Verdict);
        Assert.False(higher.Regressed);
    }

    [Fact]
    public async Task Compare_on_the_command_line_exits_1_when_the_capacity_fell_and_overlays_the_curves()
    {
        // With itself the capacity is the same (Comparing_capacity_searches_...); 30% lower it regressed, and the exit code says so.
        var (fell, output, _) = await CliHarness.RunAsync("compare", Save("base", FixedCapacityRun.Create(Folder.FullName).Result),
            Save("lower", FixedCapacityRun.Create(Folder.FullName, scale: 0.7).Result), "--out", Path.Combine(Folder.FullName, "c2"));
        Assert.Equal(1, fell);
        Assert.Contains("capacity", output, StringComparison.Ordinal);
        var page = File.ReadAllText(Path.Combine(Folder.FullName, "c2", OutputFileNames.Html));
        Assert.Contains("baseline p99", Figure(page, "capacity-curve"), StringComparison.Ordinal);
    }

    private string Save(string name, RunResult result) => FixedRun.Save(Path.Combine(Folder.FullName, name), result);

    private static void ContainsAll(string text, params string[] parts) =>
        Assert.All(parts, part => Assert.Contains(part, text, StringComparison.Ordinal));

    private static string Section(string html, string table)
    {
        var start = html.IndexOf($"data-table=\"{table}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no table {table}");
        return html[start..html.IndexOf("</table>", start, StringComparison.Ordinal)];
    }

    private static string Figure(string html, string chart)
    {
        var start = html.IndexOf($"data-chart=\"{chart}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no chart {chart}");
        return html[start..html.IndexOf("</figure>", start, StringComparison.Ordinal)];
    }

    [GeneratedRegex("<text[^>]*>([^<]*)</text>")]
    private static partial Regex SvgText();

    [GeneratedRegex("<tr data-kind=\"(\\w+)\"><td>([^<]+)</td>.*?<td class=\"text\">([^<]*)</td></tr>")]
    private static partial Regex CurveRows();
}
