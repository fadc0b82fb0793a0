using Benchmarks.Core.Results;
using HdrHistogram;

namespace Benchmarks.Core.Recording;

/// <summary>Turns store-metric recorders into the summaries of result.json, per operation and for the whole mix.</summary>
public static class StoreMetricSummaries
{
    public static IReadOnlyDictionary<string, StoreMetricSummary>? Of(IReadOnlyList<StoreMetricRecorder> metrics, double seconds) =>
        metrics.Count == 0 ? null : metrics.ToDictionary(m => m.Metric.Name, m => Summarize(m.Metric, m.Histogram, m.Zeros, m.Scale, m.Sum, seconds));

    /// <summary>Each metric over every operation of the mix: histograms merged, sums added.</summary>
    public static IReadOnlyDictionary<string, StoreMetricSummary>? Total(IReadOnlyList<OperationRecorder> recorders, double seconds)
    {
        if (recorders.Count == 0 || recorders[0].Metrics.Count == 0)
        {
            return null;
        }

        var result = new Dictionary<string, StoreMetricSummary>();
        for (var i = 0; i < recorders[0].Metrics.Count; i++)
        {
            var first = recorders[0].Metrics[i];
            var merged = first.Histogram.Copy();
            long zeros = first.Zeros;
            var sum = first.Sum;
            foreach (var other in recorders.Skip(1).Select(r => r.Metrics[i]))
            {
                merged.Add(other.Histogram);
                zeros += other.Zeros;
                sum += other.Sum;
            }

            result[first.Metric.Name] = Summarize(first.Metric, merged, zeros, first.Scale, sum, seconds);
        }

        return result;
    }

    /// <summary>Adds what the recorder knows beyond latencies: store metrics and the first message of each error kind.</summary>
    public static OperationResult WithDetailsOf(this OperationResult result, OperationRecorder recorder, double seconds) => result with
    {
        Metrics = Of(recorder.Metrics, seconds),
        Errors = result.Errors with { FirstMessages = recorder.FirstErrors.Count > 0 ? recorder.FirstErrors : null },
    };

    private static StoreMetricSummary Summarize(Core.Stores.StoreMetric metric, HistogramBase histogram, long zeros, double scale, double sum, double seconds)
    {
        var count = histogram.TotalCount + zeros;
        double At(double p) => count == 0 ? 0 : Math.Round(StoreMetricRecorder.ValueAtPercentile(histogram, zeros, scale, p), 6);
        return new StoreMetricSummary(metric.Unit, count, metric.Additive ? Math.Round(sum, 6) : null, metric.Additive ? Math.Round(sum / Math.Max(seconds, 1e-9), 6) : null,
            At(50), At(90), At(99), histogram.TotalCount > 0 ? Math.Round(histogram.GetMaxValue() / scale, 6) : 0);
    }
}
