using HdrHistogram;

namespace Benchmarks.Core.Results;

/// <summary>A finished run: the result contract plus the full histograms the exporters need (.hgrm).</summary>
public sealed record RunOutcome(RunResult Result, IReadOnlyList<OperationHistograms> Histograms, string OutputDirectory);

public sealed record OperationHistograms(string Name, HistogramBase Corrected, HistogramBase Uncorrected);
