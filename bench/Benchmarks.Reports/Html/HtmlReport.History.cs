using System.Globalization;
using System.Text;
using Benchmarks.Reports.History;

namespace Benchmarks.Reports.Html;

/// <summary>The trend page of <c>bench history</c>: a scenario's runs in order, their p50 / p99 and throughput, verdicts, and the runs the gate flags.</summary>
public static partial class HtmlReport
{
    public static string RenderHistory(string scenario, IReadOnlyList<TrendPoint> points, int baselineRuns)
    {
        var inv = CultureInfo.InvariantCulture;
        var title = $"bench history: {scenario}";
        var sb = new StringBuilder();
        sb.Append(inv, $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{E(title)}</title><style>{Css}</style></head><body><header><h1>{E(title)}</h1></header><main>");
        var flagged = points.Count(p => p.Flagged);
        sb.Append(inv, $"<p class=\"lead\">{points.Count} runs, oldest first. <b>{flagged}</b> flagged: a figure of the total worse than the median of the {baselineRuns} completed runs before it by more than the regression gate's tolerance.</p>");
        if (points.Count > 0)
        {
            double[] x = [.. points.Select(p => (double)p.Run.Sequence)];
            var latency = Charts.TimeSeries("total latency per run (corrected)", "latency (ms)",
                [new ChartSeries("p50", x, [.. points.Select(p => p.Run.Total.P50)], Charts.Third), new ChartSeries("p99", x, [.. points.Select(p => p.Run.Total.P99)], Charts.Corrected)],
                xLabel: "run");
            var rate = points.Any(p => p.Run.TargetRate is not null)
                ? new[] { new ChartSeries("target", x, [.. points.Select(p => p.Run.TargetRate ?? double.NaN)], Charts.Baseline, Dashed: true) }
                : [];
            var throughput = Charts.TimeSeries("throughput per run", "operations / s",
                [new ChartSeries("achieved", x, [.. points.Select(p => p.Run.AchievedRate)], Charts.Corrected), .. rate], xLabel: "run");
            sb.Append(inv, $"<div class=\"charts\"><figure data-chart=\"history-latency\">{latency}</figure><figure data-chart=\"history-throughput\">{throughput}</figure></div>");
        }

        sb.Append("<table class=\"num\" data-table=\"history\"><tr><th>run</th><th>started (UTC)</th><th>commit</th><th>status</th><th>target /s</th><th>achieved /s</th><th>p50 ms</th><th>p99 ms</th><th>p99.9 ms</th><th>errors</th><th>SLA</th><th>against the baseline</th></tr>");
        foreach (var p in points)
        {
            var r = p.Run;
            var total = r.Total;
            var verdicts = string.Join(" ", r.Verdicts.Select(v => $"<span class=\"{(v.Verdict == "pass" ? "muted" : "reason failed")}\" title=\"{E(v.Threshold)}\">{E(v.Verdict)}</span>"));
            var changes = string.Join("; ", p.Figures.Where(f => f.Baseline is not null).Select(f =>
                $"{(f.Regressed ? "<b>" : "")}{E(f.Metric)} {(f.ChangePercent >= 0 ? "+" : "")}{N(f.ChangePercent!.Value)}% worse (baseline {N(f.Baseline!.Value)}, tolerance {N(f.TolerancePercent)}%){(f.Regressed ? "</b>" : "")}"));
            sb.Append(inv, $"<tr class=\"{(p.Flagged ? "fail" : "")}\" data-run=\"{r.Sequence}\" data-flagged=\"{(p.Flagged ? "true" : "false")}\"><td>{r.Sequence}</td>");
            sb.Append(inv, $"<td class=\"text\">{E(r.StartTime.ToString("yyyy-MM-dd HH:mm:ss", inv))}</td><td class=\"text\"><code>{E(r.Commit is { Length: > 10 } c ? c[..10] : r.Commit ?? "—")}</code></td>");
            sb.Append(inv, $"<td class=\"text\">{Badge(r.Status)}</td><td>{(r.TargetRate is { } t ? N(t) : "—")}</td><td>{N(r.AchievedRate)}</td>");
            sb.Append(inv, $"<td>{Ms(total.P50)}</td><td>{Ms(total.P99)}</td><td>{Ms(total.P999)}</td><td>{N(total.Errors)}</td><td class=\"text\">{verdicts}</td>");
            sb.Append(inv, $"<td class=\"text\">{(p.BaselineRuns == 0 ? "<span class=\"muted\">no baseline yet</span>" : changes)}</td></tr>");
        }

        sb.Append("</table></main></body></html>");
        return sb.ToString();
    }
}
