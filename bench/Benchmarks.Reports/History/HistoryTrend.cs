using Benchmarks.Core.Results;
using Benchmarks.Core.Thresholds;

namespace Benchmarks.Reports.History;

/// <summary>A run against the rolling baseline of the runs before it: each gated figure, its baseline and whether it regressed.</summary>
public sealed record TrendPoint(HistoryRun Run, int BaselineRuns, IReadOnlyList<TrendFigure> Figures)
{
    public bool Flagged => Figures.Any(f => f.Regressed);
}

/// <param name="Baseline">The median of the previous runs' values; null for a run without enough runs before it.</param>
/// <param name="ChangePercent">Worse is positive: slower latency, lower throughput.</param>
public sealed record TrendFigure(string Metric, double Value, double? Baseline, double? ChangePercent, double TolerancePercent, bool Regressed);

/// <summary>
/// The gate over a history: each run's total p50, p99 and throughput against the median of the K runs before it (a
/// rolling baseline: one noisy run does not move it), flagged when worse by more than the regression gate's tolerance
/// (<see cref="GateTolerances"/>, the same as <c>bench compare</c>; a latency also by more than its resolution). Runs
/// that did not complete (invalid, interrupted) are shown but never part of a baseline.
/// </summary>
public static class HistoryTrend
{
    public const int DefaultBaselineRuns = 5;

    /// <summary>Metrics judged here: the gate's, on the total.</summary>
    private static readonly (string Metric, Func<HistoryRun, double> Value, bool HigherIsWorse)[] Judged =
    [
        ("p50", r => r.Total.P50, true),
        ("p99", r => r.Total.P99, true),
        ("throughput", r => r.AchievedRate, false),
    ];

    public static IReadOnlyList<TrendPoint> Of(IReadOnlyList<HistoryRun> runs, int baselineRuns, IReadOnlyDictionary<string, double?> tolerances)
    {
        var points = new List<TrendPoint>();
        var resolution = tolerances.GetValueOrDefault(GateTolerances.Resolution) ?? 0;
        for (var i = 0; i < runs.Count; i++)
        {
            var before = runs.Take(i).Where(Comparable).TakeLast(baselineRuns).ToList();
            var figures = new List<TrendFigure>();
            foreach (var (metric, value, higherIsWorse) in Judged)
            {
                var tolerance = tolerances.GetValueOrDefault(metric) ?? GateTolerances.Defaults[metric]!.Value;
                var now = value(runs[i]);
                if (before.Count == 0 || !Comparable(runs[i]))
                {
                    figures.Add(new TrendFigure(metric, now, null, null, tolerance, false));
                    continue;
                }

                var baseline = Median([.. before.Select(value)]);
                var change = baseline == 0 ? 0 : (higherIsWorse ? now - baseline : baseline - now) / baseline * 100;
                // Latencies (the higher-is-worse figures) regress only beyond the gate's resolution as well, as in bench compare.
                var judged = higherIsWorse ? GateTolerances.LatencyTolerance(tolerance, resolution, baseline) : tolerance;
                figures.Add(new TrendFigure(metric, now, baseline, Math.Round(change, 2), judged, change > judged));
            }

            points.Add(new TrendPoint(runs[i], before.Count, figures));
        }

        return points;
    }

    /// <summary>A run whose figures mean what they say: it ran to its end (passed, failed or inconclusive).</summary>
    private static bool Comparable(HistoryRun run) => run.Status is RunStatus.Passed or RunStatus.Failed or RunStatus.Inconclusive;

    private static double Median(double[] values)
    {
        Array.Sort(values);
        var mid = values.Length / 2;
        return values.Length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }
}
