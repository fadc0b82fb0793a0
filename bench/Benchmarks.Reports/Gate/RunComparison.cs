namespace Benchmarks.Reports.Gate;

public static class Verdicts
{
    public const string Regression = "regression";
    public const string Improvement = "improvement";
    public const string Same = "same";
    public const string Info = "info";
}

/// <summary>One metric of one operation, baseline against current, with the gate's verdict and why.</summary>
public sealed record MetricComparison(
    string Operation,
    string Metric,
    string Unit,
    double Baseline,
    double Current,
    double? ChangePercent,
    double? TolerancePercent,
    string Verdict,
    string Reason);

/// <summary>The whole comparison of two runs of a scenario.</summary>
public sealed record RunComparison(string Scenario, string BaselineStart, string CurrentStart, IReadOnlyList<MetricComparison> Metrics)
{
    public bool Regressed => Metrics.Any(m => m.Verdict == Verdicts.Regression);
}
