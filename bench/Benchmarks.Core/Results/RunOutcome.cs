using HdrHistogram;

namespace Benchmarks.Core.Results;

/// <summary>A finished run: the result contract plus the full histograms the exporters need (.hgrm).</summary>
public sealed record RunOutcome(RunResult Result, IReadOnlyList<OperationHistograms> Histograms, string OutputDirectory);

/// <summary>
/// One operation's (or "total"'s) complete data over the measured window, from which its summaries and
/// verdicts are made: latency from the intended start and from the actual start, and the store's metrics.
/// </summary>
public sealed record OperationHistograms(string Name, HistogramBase Corrected, HistogramBase Uncorrected)
{
    /// <summary>The store's own metrics by name (request units, rows); empty for stores that report none, and for runs read back from an .hlog.</summary>
    public IReadOnlyDictionary<string, StoreMetricValues> Metrics { get; init; } = new Dictionary<string, StoreMetricValues>();
}
