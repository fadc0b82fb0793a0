using System.Globalization;

namespace Benchmarks.Core.Results;

/// <summary>
/// How every report and the console write numbers, defined once and culture-invariant by construction:
/// a report reads the same on every machine, whatever its locale.
/// </summary>
public static class Figures
{
    /// <summary>Milliseconds with enough digits for microsecond latencies: 0.412, 12.875, 2200.0.</summary>
    public static string Ms(double ms) => ms.ToString(ms >= 100 ? "0.0" : "0.000", CultureInfo.InvariantCulture);

    /// <summary>A rate, a store metric or a money figure for people: thousands grouped from 100 up (1,234.5), else up to three decimals.</summary>
    public static string Number(double value) => value.ToString(Math.Abs(value) >= 100 ? "#,0.#" : "0.###", CultureInfo.InvariantCulture);

    /// <summary>A value for machines and targets: up to three decimals, never grouped (JUnit properties, thresholds).</summary>
    public static string Exact(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>A count: thousands grouped.</summary>
    public static string Count(long count) => count.ToString("N0", CultureInfo.InvariantCulture);
}

/// <summary>One percentile column of a latency table, and its value per second when the result keeps one.</summary>
public sealed record LatencyColumn(string Name, double Percentile, Func<LatencySummary, double> Value, Func<IntervalPoint, double>? PerSecond);

/// <summary>The percentiles every latency table shows, and those the regression gate compares, in order.</summary>
public static class LatencyColumns
{
    public static IReadOnlyList<LatencyColumn> All { get; } =
    [
        new("p50", 50, l => l.P50, p => p.P50),
        new("p90", 90, l => l.P90, p => p.P90),
        new("p99", 99, l => l.P99, p => p.P99),
        new("p99.9", 99.9, l => l.P999, p => p.P999),
        new("p99.99", 99.99, l => l.P9999, null),
        new("max", 100, l => l.Max, p => p.Max),
    ];

    /// <summary>The gate's: those with a value per second, which its significance test needs (p99.99 of one second is its max).</summary>
    public static IReadOnlyList<LatencyColumn> Gated { get; } = [.. All.Where(c => c.PerSecond is not null)];
}

/// <summary>One column of a store-metric table.</summary>
public sealed record StoreMetricColumn(string Name, Func<StoreMetricSummary, double> Value);

/// <summary>What every store-metric table shows of one operation's use, in order (the workload's total and per second follow).</summary>
public static class StoreMetricColumns
{
    public static IReadOnlyList<StoreMetricColumn> All { get; } =
    [
        new("p50", m => m.P50),
        new("p90", m => m.P90),
        new("p99", m => m.P99),
        new("max", m => m.Max),
    ];
}

/// <summary>The columns of the agents table of a merged run, defined once for the console, summary.md and report.html.</summary>
public static class AgentColumns
{
    public static IReadOnlyList<(string Name, Func<AgentResult, string> Value)> All { get; } =
    [
        ("agent", a => a.Index.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("state", a => a.Status is { } status ? $"{a.State} ({status})" : a.State),
        ("host", a => a.Host ?? "—"),
        ("target/s", a => a.TargetRatePerSecond is { } t ? Figures.Number(t) : "—"),
        ("achieved/s", a => Figures.Number(a.AchievedRatePerSecond)),
        ("count", a => a.Count.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)),
        ("errors", a => a.Errors.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)),
        ("seconds", a => Figures.Number(a.MeasuredSeconds)),
        ("lag p99 ms", a => a.SchedulingLagP99Ms is { } lag ? Figures.Ms(lag) : "—"),
        ("generator", a => a.State == AgentResult.Finished ? a.Saturated ? "SATURATED" : "kept up" : "—"),
        ("clock offset ms", a => a.ClockOffsetMs is { } offset ? Figures.Number(offset) : "—"),
        ("start lag ms", a => a.StartLagMs is { } late ? Figures.Number(late) : "—"),
    ];
}
