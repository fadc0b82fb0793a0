using Benchmarks.Core.Results;

namespace Benchmarks.Core.Recording;

/// <summary>Turns store-metric recorders into the summaries of result.json, per operation and for the whole mix.</summary>
public static class StoreMetricSummaries
{
    public static IReadOnlyDictionary<string, StoreMetricSummary>? Of(IReadOnlyList<StoreMetricRecorder> metrics, double seconds) =>
        metrics.Count == 0 ? null : metrics.ToDictionary(m => m.Metric.Name, m => Summarize(StoreMetricValues.Merge([m]), seconds));

    /// <summary>Each metric over every operation of the mix.</summary>
    public static IReadOnlyDictionary<string, StoreMetricSummary>? Total(IReadOnlyList<OperationRecorder> recorders, double seconds) =>
        recorders.Count == 0 || recorders[0].Metrics.Count == 0
            ? null
            : Enumerable.Range(0, recorders[0].Metrics.Count)
                .Select(i => StoreMetricValues.Merge([.. recorders.Select(r => r.Metrics[i])]))
                .ToDictionary(v => v.Metric.Name, v => Summarize(v, seconds));

    /// <summary>Adds what the recorder knows beyond latencies: store metrics and the first message of each error kind.</summary>
    public static OperationResult WithDetailsOf(this OperationResult result, OperationRecorder recorder, double seconds) => result with
    {
        Metrics = Of(recorder.Metrics, seconds),
        Errors = result.Errors with { FirstMessages = recorder.FirstErrors.Count > 0 ? recorder.FirstErrors : null },
    };

    private static StoreMetricSummary Summarize(StoreMetricValues values, double seconds)
    {
        double At(double p) => values.Count == 0 ? 0 : Math.Round(values.ValueAtPercentile(p), 6);
        var additive = values.Metric.Additive;
        return new StoreMetricSummary(values.Metric.Unit, values.Count, additive ? Math.Round(values.Sum, 6) : null, additive ? Math.Round(values.Sum / Math.Max(seconds, 1e-9), 6) : null,
            At(50), At(90), At(99), Math.Round(values.Max, 6));
    }
}
