using Benchmarks.Core.Results;

namespace Benchmarks.Core.Recording;

/// <summary>The data of a finished window, taken from its recorders once: the result's summaries and verdicts are made from it.</summary>
public static class WindowHistograms
{
    /// <summary>Each operation's histograms and store metrics, then "total": the latencies of the whole mix and each store metric over every operation.</summary>
    public static IReadOnlyList<OperationHistograms> Of(RecordingSession session)
    {
        var operations = session.Recorders.Select(r => new OperationHistograms(r.Name, r.TotalCorrected, r.TotalUncorrected)
        {
            Metrics = r.Metrics.ToDictionary(m => m.Metric.Name, m => m.Snapshot()),
        }).ToList();
        var total = new OperationHistograms("total", session.TotalCorrected, session.TotalUncorrected)
        {
            Metrics = operations.SelectMany(o => o.Metrics.Values).GroupBy(v => v.Name)
                .ToDictionary(g => g.Key, g => StoreMetricValues.Merge([.. g])),
        };
        return [.. operations, total];
    }

    /// <summary>The summaries result.json carries of each store metric; null for a store that reports none.</summary>
    public static IReadOnlyDictionary<string, StoreMetricSummary>? SummarizeMetrics(this OperationHistograms data, double seconds) =>
        data.Metrics.Count == 0 ? null : data.Metrics.ToDictionary(m => m.Key, m => m.Value.Summarize(seconds));

    /// <summary>Adds what the recorder knows beyond latencies: store metrics and the first message of each error kind.</summary>
    public static OperationResult WithDetailsOf(this OperationResult result, OperationHistograms data, OperationRecorder recorder, double seconds) => result with
    {
        Metrics = data.SummarizeMetrics(seconds),
        Errors = result.Errors with { FirstMessages = recorder.FirstErrors.Count > 0 ? recorder.FirstErrors : null },
    };
}
