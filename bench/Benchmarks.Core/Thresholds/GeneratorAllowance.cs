using HdrHistogram;

namespace Benchmarks.Core.Thresholds;

/// <summary>
/// What the load generator itself could have added to the measured latencies, so that a verdict is
/// given only when the generator cannot have decided it.
/// <para>
/// Latency counts from the intended start, so the generator's own delays can only make it worse. Two
/// kinds are known: its lag in starting each operation, measured per operation and taken out exactly
/// (<paramref name="generatorFree"/>: each latency less its own start lag); and its pauses (stop-the-world
/// GCs, thread-pool stalls), which may delay the completion of operations in flight, each by at most the
/// longest pause. The best case of a percentile is the larger of two lower bounds: the generator-free
/// percentile less the longest pause, and the generator-free value at the percentile lowered by the share
/// of operations that a pause could have touched (<paramref name="pauseTouchedFraction"/>).
/// </para>
/// </summary>
/// <param name="generatorFree">Generator-free latency histograms (µs) by operation name, and "total".</param>
/// <param name="longestPauseMs">The longest generator pause of the run.</param>
/// <param name="pauseTouchedFraction">The share of operations (0–1) in flight during some pause.</param>
public sealed class GeneratorAllowance(IReadOnlyDictionary<string, HistogramBase> generatorFree, double longestPauseMs, double pauseTouchedFraction)
{
    public double LongestPauseMs { get; } = longestPauseMs;

    public double PauseTouchedFraction { get; } = Math.Clamp(pauseTouchedFraction, 0, 1);

    /// <summary>
    /// The share of operations a set of pauses could touch. By Little's law, <c>rate × mean latency</c>
    /// operations are in flight at any moment; a pause of length <c>p</c> touches those plus the
    /// <c>rate × p</c> due during it.
    /// </summary>
    public static double TouchedFraction(int pauses, double totalPauseSeconds, double meanLatencySeconds, double measuredSeconds) =>
        measuredSeconds > 0 ? ((pauses * meanLatencySeconds) + totalPauseSeconds) / measuredSeconds : 1;

    /// <summary>
    /// The lowest value the latency of <paramref name="operation"/> at <paramref name="percentile"/> (100: the max)
    /// could have had with a generator that was always on time and never paused; NaN with no data.
    /// </summary>
    public double BestCaseMs(string operation, double percentile)
    {
        if (!generatorFree.TryGetValue(operation, out var histogram) || histogram.TotalCount == 0)
        {
            return double.NaN;
        }

        var atPercentile = Lowest(histogram, percentile);
        var beyondTouched = Lowest(histogram, Math.Max(0, percentile - (100 * PauseTouchedFraction)));
        return Math.Max(0, Math.Max(beyondTouched, atPercentile - LongestPauseMs));
    }

    private static double Lowest(HistogramBase histogram, double percentile)
    {
        var value = percentile >= 100 ? histogram.GetMaxValue() : histogram.GetValueAtPercentile(percentile);
        return histogram.LowestEquivalentValue(value) / 1000.0;
    }
}
