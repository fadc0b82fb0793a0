using HdrHistogram;

namespace Benchmarks.Core.Results;

/// <summary>
/// A store metric's values over a measured window, for one operation or the whole mix: an HdrHistogram
/// of <c>value × Scale</c> (zeros counted apart: the histogram cannot hold them) and the exact sum.
/// SLAs on store metrics and the result's summaries read these, never the live recorders.
/// </summary>
/// <param name="Additive">False for a metric that is itself a rate: its sum means nothing and is not reported.</param>
public sealed record StoreMetricValues(string Name, string Unit, bool Additive, HistogramBase Histogram, long Zeros, double Scale, double Sum)
{
    public long Count => Histogram.TotalCount + Zeros;

    public double Max => Histogram.TotalCount > 0 ? Histogram.GetMaxValue() / Scale : 0;

    /// <summary>The value at <paramref name="percentile"/> (100: the max), zeros included, in the metric's unit; NaN when nothing was recorded.</summary>
    public double ValueAtPercentile(double percentile) => ValueAtPercentile(Histogram, Zeros, Scale, percentile);

    public static double ValueAtPercentile(HistogramBase histogram, long zeros, double scale, double percentile)
    {
        var total = histogram.TotalCount + zeros;
        if (total == 0)
        {
            return double.NaN;
        }

        // The rank among all values; below the zeros it is zero, above it is a rank in the histogram.
        var rank = Math.Ceiling(percentile / 100 * total);
        if (rank <= zeros)
        {
            return 0;
        }

        var inHistogram = 100.0 * (rank - zeros) / histogram.TotalCount;
        return histogram.GetValueAtPercentile(Math.Min(100, inHistogram)) / scale;
    }

    /// <summary>Histograms added and sums added; the values must be of the same metric.</summary>
    public static StoreMetricValues Merge(IReadOnlyList<StoreMetricValues> values)
    {
        var merged = values[0].Histogram.Copy();
        foreach (var other in values.Skip(1))
        {
            merged.Add(other.Histogram);
        }

        return values[0] with { Histogram = merged, Zeros = values.Sum(v => v.Zeros), Sum = values.Sum(v => v.Sum) };
    }

    /// <summary>The summary result.json carries: percentiles of one operation's use, and what the workload used in total and per second.</summary>
    public StoreMetricSummary Summarize(double seconds)
    {
        double At(double p) => Count == 0 ? 0 : Math.Round(ValueAtPercentile(p), 6);
        return new StoreMetricSummary(Unit, Count, Additive ? Math.Round(Sum, 6) : null, Additive ? Math.Round(Sum / Math.Max(seconds, 1e-9), 6) : null,
            At(50), At(90), At(99), Math.Round(Max, 6));
    }
}
