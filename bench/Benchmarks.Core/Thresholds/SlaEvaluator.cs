using Benchmarks.Core.Results;
using HdrHistogram;

namespace Benchmarks.Core.Thresholds;

/// <summary>
/// Judges each threshold against the measured results; every verdict carries target, measured value and margin.
/// A latency verdict is given only when the generator's own share cannot flip it: the true value lies
/// between the best case (<see cref="GeneratorAllowance"/>) and the measured value, and when the threshold
/// holds at one end and not at the other, the verdict is inconclusive.
/// </summary>
public static class SlaEvaluator
{
    /// <param name="data">The window's histograms and store metrics by operation name, and "total".</param>
    /// <param name="results">The window's summaries by operation name, and "total".</param>
    /// <param name="allowance">The generator's share; null judges the measured values alone.</param>
    /// <param name="phases">For a run with faults: each phase's histograms and summaries, as <paramref name="data"/> and <paramref name="results"/> are for the window.</param>
    /// <param name="recoverySeconds">For a run with faults: the longest recovery (null: one never recovered).</param>
    public static IReadOnlyList<SlaVerdict> Evaluate(
        IEnumerable<SlaThreshold> thresholds,
        IReadOnlyDictionary<string, OperationHistograms> data,
        IReadOnlyDictionary<string, OperationResult> results,
        LoadSummary load,
        GeneratorAllowance? allowance = null,
        IReadOnlyDictionary<string, (IReadOnlyDictionary<string, OperationHistograms> Data, IReadOnlyDictionary<string, OperationResult> Results)>? phases = null,
        double? recoverySeconds = null)
    {
        var verdicts = new List<SlaVerdict>();
        foreach (var t in thresholds)
        {
            var key = t.Operation ?? "total";
            if (t.Metric == SlaMetric.Recovery || (t.Phase is { } p && phases?.ContainsKey(p) != true))
            {
                // Recovery is the longest of the faults'; a phase that was never measured (its fault never ran) cannot meet a target.
                verdicts.Add(Verdict(t, t.Metric == SlaMetric.Recovery ? recoverySeconds ?? double.NaN : double.NaN, null));
                continue;
            }

            // A phase is judged on its measured values alone: the generator's allowance is the whole window's.
            var (judgedData, judgedResults, judgedAllowance) = t.Phase is { } phase ? (phases![phase].Data, phases[phase].Results, null) : (data, results, allowance);
            var result = judgedResults[key];
            var histogram = judgedData[key].Corrected;
            var attempted = result.Count + result.Errors.Total;
            double measured = t.Metric switch
            {
                SlaMetric.Percentile => histogram.TotalCount > 0 ? histogram.GetValueAtPercentile(t.Percentile) / 1000.0 : double.NaN,
                SlaMetric.Max => histogram.TotalCount > 0 ? histogram.GetMaxValue() / 1000.0 : double.NaN,
                SlaMetric.Throughput => result.ThroughputPerSecond,
                SlaMetric.Errors => t.TargetIsRatio ? (attempted > 0 ? 100.0 * result.Errors.Total / attempted : 0) : result.Errors.Total,
                SlaMetric.ErrorKind => Kind(result, t, attempted),
                SlaMetric.StorePercentile or SlaMetric.StoreMax => StoreValue(judgedData[key], t),
                SlaMetric.StoreRate => result.Metrics?.TryGetValue(t.StoreMetric!, out var m) == true ? m.PerSecond ?? double.NaN : double.NaN,
                SlaMetric.HitRatio => judgedData[key].Metrics.TryGetValue(OperationResult.HitMetric, out var hits) && hits.Count > 0 ? hits.Sum / hits.Count : double.NaN,
                _ => t.TargetIsRatio ? (load.Scheduled > 0 ? 100.0 * load.Dropped / load.Scheduled : 0) : load.Dropped,
            };

            double? bestCase = judgedAllowance is not null && t.Metric is SlaMetric.Percentile or SlaMetric.Max && !double.IsNaN(measured)
                ? judgedAllowance.BestCaseMs(key, t.Metric == SlaMetric.Max ? 100 : t.Percentile)
                : null;
            verdicts.Add(Verdict(t, measured, bestCase));
        }

        return verdicts;
    }

    private static SlaVerdict Verdict(SlaThreshold t, double measured, double? bestCase)
    {
        // No successful operation: a latency target cannot be met by absence of data.
        var holds = !double.IsNaN(measured) && t.Holds(measured);
        var conclusive = bestCase is not { } best || double.IsNaN(best) || t.Holds(Math.Min(best, measured)) == holds;
        var reported = double.IsNaN(measured) ? 0 : measured;
        var margin = double.IsNaN(measured) ? 0 : t.Margin(measured);
        return new SlaVerdict(
            t.Text, t.Operation, t.MetricName, Symbol(t.Comparison), t.Target, Math.Round(reported, 6), t.Unit,
            Math.Round(margin, 6), t.Target != 0 ? Math.Round(100 * margin / t.Target, 2) : null, holds && conclusive, t.Implicit)
        {
            Inconclusive = !conclusive,
            BestCase = bestCase is { } b && !double.IsNaN(b) ? Math.Round(Math.Min(b, measured), 6) : null,
        };
    }

    /// <summary>A store metric at the threshold's percentile (its max for p(100) and max); NaN when never recorded.</summary>
    private static double StoreValue(OperationHistograms data, SlaThreshold t) =>
        data.Metrics.TryGetValue(t.StoreMetric!, out var values) && values.Count > 0
            ? t.Percentile >= 100 ? values.Max : values.ValueAtPercentile(t.Percentile)
            : double.NaN;

    private static double Kind(OperationResult result, SlaThreshold t, long attempted)
    {
        var count = result.Errors.ByKind.TryGetValue(t.ErrorKindName!, out var n) ? n : 0;
        return t.TargetIsRatio ? (attempted > 0 ? 100.0 * count / attempted : 0) : count;
    }

    public static string Symbol(Comparison c) => c switch
    {
        Comparison.Less => "<",
        Comparison.LessOrEqual => "<=",
        Comparison.Greater => ">",
        Comparison.GreaterOrEqual => ">=",
        _ => "==",
    };
}
