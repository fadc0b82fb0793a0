using System.Globalization;
using System.Text;
using Benchmarks.Core.Capacity;
using Benchmarks.Core.Results;

namespace Benchmarks.Reports.Html;

/// <summary>The capacity planner's part of the page: the curve, saturation, the steps, sizing and the what-if; and the suite's capacity summary.</summary>
public static partial class HtmlReport
{
    private static void Capacity(StringBuilder sb, RunResult r, CapacitySummary c, CapacitySummary? baseline)
    {
        var inv = CultureInfo.InvariantCulture;
        sb.Append(inv, $"<h3>Capacity</h3><p class=\"lead\"><b>{E(c.Conclusion)}</b></p>");
        if (c.BoundBy is { } bound)
        {
            sb.Append(inv, $"<p>Bounded by {E(bound)}.{(c.LimitingSla.Count > 0 ? $" Limiting SLA: {string.Join(", ", c.LimitingSla.Select(t => $"<code>{E(t)}</code>"))}." : "")}</p>");
        }

        sb.Append(inv, $"<p class=\"muted\">{E(c.Confidence)} The rest of this section describes the step at the capacity.</p>");
        var curve = CapacityCurve.From(c);
        var targets = r.Sla.Where(v => v.Unit == "ms" && v.Operation is null).Select(v => new ChartLine($"SLA {v.Threshold}", v.Target, Charts.Target)).ToList();
        var title = baseline is null ? "latency against offered load (corrected; passing steps joined in rate order)" : "latency against offered load, against the baseline's p99";
        sb.Append(inv, $"<div class=\"charts\"><figure data-chart=\"capacity-curve\">{Charts.LatencyAgainstLoad(title, curve, targets, c.CapacityPerSecond, baseline is null ? null : CapacityCurve.From(baseline))}</figure>");
        sb.Append(inv, $"<figure data-chart=\"saturation\">{Charts.Saturation("achieved against offered throughput, per step", curve)}</figure></div>");
        CurveTable(sb, curve);
        Steps(sb, c);
        if (c.Sizing is { } z)
        {
            sb.Append("<h3>Sizing</h3><table class=\"kv\">");
            Row(sb, "target rate", $"{N(z.TargetRatePerSecond)}/s with {N(z.HeadroomPercent)}% headroom");
            Row(sb, "per node", $"measured {N(z.MeasuredCapacityPerNode)}/s, planned at {N(z.UsablePerNode)}/s");
            Row(sb, "nodes", $"{z.Nodes}{(z.MonthlyCost is { } cost ? $", {N(cost)} a month" : "")}");
            if (z.RequestUnitsPerSecond is { } ru)
            {
                Row(sb, "Cosmos throughput", $"{N(ru)} RU/s{(z.RequestUnitsMonthlyCost is { } rc ? $", {N(rc)} a month" : "")}");
            }

            sb.Append("</table>");
        }

        WhatIf(sb, c.WhatIf);
    }

    /// <summary>The curve's points as numbers, in the order drawn: a planner copies them, a test reads them.</summary>
    private static void CurveTable(StringBuilder sb, CapacityCurve curve)
    {
        var inv = CultureInfo.InvariantCulture;
        sb.Append("<table class=\"num\" data-table=\"capacity-curve\"><tr><th>offered /s</th><th>achieved /s</th><th>p50 ms</th><th>p99 ms</th><th>p99.9 ms</th><th>step</th><th>drawn as</th></tr>");
        foreach (var p in curve.Passing.Select(p => (Point: p, Drawn: "curve")).Concat(curve.Others.Select(p => (Point: p, Drawn: Drawn(p)))))
        {
            var q = p.Point;
            sb.Append(inv, $"<tr data-kind=\"{q.Kind.ToString().ToLowerInvariant()}\"><td>{N(q.OfferedPerSecond)}</td><td>{N(q.AchievedPerSecond)}</td><td>{Ms(q.P50)}</td><td>{Ms(q.P99)}</td><td>{Ms(q.P999)}</td><td>{q.Step}</td><td class=\"text\">{E(p.Drawn)}</td></tr>");
        }

        sb.Append("</table>");
    }

    private static string Drawn(CurvePoint p) => p.Kind switch
    {
        StepKind.Passed => "marker: passed again at a rate on the curve",
        StepKind.Overloaded => "marker: overloaded, not joined",
        StepKind.Failed => "marker: failed, not joined",
        StepKind.Inconclusive => "marker: inconclusive, not joined",
        _ => "marker: invalid, not joined",
    };

    private static void Steps(StringBuilder sb, CapacitySummary c)
    {
        var inv = CultureInfo.InvariantCulture;
        sb.Append("<details><summary>every step, in the order it ran</summary><table class=\"num\"><tr><th>step</th><th>target /s</th><th>achieved /s</th><th>p50 ms</th><th>p99 ms</th><th>p99.9 ms</th><th>errors</th><th>dropped</th><th>verdict</th></tr>");
        foreach (var s in c.Steps)
        {
            sb.Append(inv, $"<tr class=\"{(s.Status == RunStatus.Passed ? "pass" : s.Status == RunStatus.Inconclusive ? "inconclusive" : "fail")}\"><td>{s.Index}</td><td>{N(s.TargetRatePerSecond)}</td><td>{N(s.AchievedRatePerSecond)}</td><td>{Ms(s.P50)}</td><td>{Ms(s.P99)}</td><td>{Ms(s.P999)}</td><td>{s.Errors:N0}</td><td>{s.Dropped:N0}</td><td>{E(s.Status)}</td></tr>");
        }

        sb.Append("</table></details>");
    }

    /// <summary>The what-if table: nodes, RU/s and monthly cost at each rate a planner asks about; the assumptions stated once.</summary>
    private static void WhatIf(StringBuilder sb, IReadOnlyList<SizingEstimate> rows)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var inv = CultureInfo.InvariantCulture;
        var ru = rows.Any(w => w.RequestUnitsPerSecond is not null);
        sb.Append(inv, $"<h3>What if</h3><table class=\"num\" data-table=\"what-if\"><tr><th>target /s</th><th>why this rate</th><th>headroom</th><th>nodes</th>{(ru ? "<th>RU/s</th>" : "")}<th>a month</th><th>per 1,000 ops/s a month</th></tr>");
        foreach (var w in rows)
        {
            var cost = w.RequestUnitsMonthlyCost ?? w.MonthlyCost;
            sb.Append(inv, $"<tr><td>{N(w.TargetRatePerSecond)}</td><td class=\"text\">{E(w.TargetSource)}</td><td>{N(w.HeadroomPercent)}%</td><td>{w.Nodes:N0}</td>{(ru ? $"<td>{(w.RequestUnitsPerSecond is { } r ? N(r) : "—")}</td>" : "")}<td>{(cost is { } m ? N(m) : "no price given")}</td><td>{(w.MonthlyCostPer1000PerSecond is { } k ? N(k) : "—")}</td></tr>");
        }

        sb.Append("</table><ul class=\"muted\">");
        foreach (var assumption in rows[0].Assumptions)
        {
            sb.Append(inv, $"<li>{E(assumption)}</li>");
        }

        sb.Append("<li>prices are inputs (<code>sizing.pricePerNodeMonth</code>, <code>sizing.pricePer100RuMonth</code>); without them the table gives nodes and RU/s only</li></ul>");
    }

    /// <summary>The suite's capacity summary: per capacity scenario, its store, capacity under its SLA, cost per 1,000 ops/s, the limiting SLA and what bounded it.</summary>
    private static void CapacitySummaryTable(StringBuilder sb, IReadOnlyList<RunOutcome> runs)
    {
        var searches = runs.Where(r => r.Result.Capacity is not null).ToList();
        if (searches.Count == 0)
        {
            return;
        }

        var inv = CultureInfo.InvariantCulture;
        sb.Append("<h2>Capacity across stores</h2><table class=\"overview\" data-table=\"capacity-summary\"><tr><th>scenario</th><th>store</th><th>capacity under the SLA</th><th>per 1,000 ops/s a month</th><th>limiting SLA</th><th>bounded by</th></tr>");
        foreach (var run in searches)
        {
            var r = run.Result;
            var c = r.Capacity!;
            var per1000 = c.WhatIf.Concat(c.Sizing is { } z ? [z] : []).Select(w => w.MonthlyCostPer1000PerSecond).FirstOrDefault(v => v is not null);
            sb.Append(inv, $"<tr><td><a href=\"#{Id(r.Scenario.Name)}\">{E(r.Scenario.Name)}</a></td><td>{E(r.Scenario.Store)}</td><td>{(c.CapacityPerSecond is { } cap ? $"{N(cap)}/s" : "none found")}</td><td>{(per1000 is { } k ? N(k) : "no price given")}</td><td>{E(string.Join(", ", c.LimitingSla))}</td><td>{E(c.BoundBy)}</td></tr>");
        }

        sb.Append("</table>");
    }
}
