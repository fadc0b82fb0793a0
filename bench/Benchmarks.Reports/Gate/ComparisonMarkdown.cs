using System.Globalization;
using System.Text;
using Benchmarks.Core.Results;

namespace Benchmarks.Reports.Gate;

/// <summary>The comparison as Markdown for a pull-request comment or the GitHub step summary: regressions first.</summary>
public static class ComparisonMarkdown
{
    public static string Render(RunComparison c)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        var regressions = c.Metrics.Count(m => m.Verdict == Verdicts.Regression);
        sb.AppendLine(inv, $"# {c.Scenario} against its baseline: {(c.Regressed ? $"❌ {regressions} regression{(regressions == 1 ? "" : "s")}" : "✅ no regression")}");
        sb.AppendLine();
        sb.AppendLine(inv, $"Baseline {c.BaselineStart} · current {c.CurrentStart}. A regression is a change beyond the tolerance that the per-second samples confirm (Mann–Whitney, α = {RunComparer.Alpha.Value}).");
        sb.AppendLine();
        sb.AppendLine("| | operation | metric | baseline | current | change | tolerance | why |");
        sb.AppendLine("|---|---|---|---:|---:|---:|---:|---|");
        foreach (var m in c.Metrics.OrderBy(m => m.Verdict switch { Verdicts.Regression => 0, Verdicts.Improvement => 1, Verdicts.Same => 2, _ => 3 }))
        {
            var icon = m.Verdict switch { Verdicts.Regression => "❌", Verdicts.Improvement => "🟢", Verdicts.Same => "✅", _ => "ℹ️" };
            var change = m.ChangePercent is { } p ? $"{(p >= 0 ? "+" : "")}{N(p)}%" : m.Metric == "errors" ? $"{(m.Current - m.Baseline >= 0 ? "+" : "")}{N(m.Current - m.Baseline)} pp" : "";
            var tolerance = m.TolerancePercent is { } t ? (m.Metric == "errors" ? $"{N(t)} pp" : $"{N(t)}%") : "";
            sb.AppendLine(inv, $"| {icon} | {m.Operation} | {m.Metric} | {N(m.Baseline)} {m.Unit} | {N(m.Current)} {m.Unit} | {change} | {tolerance} | {m.Reason} |");
        }

        return sb.ToString();
    }

    private static string N(double v) => Figures.Number(v);
}
