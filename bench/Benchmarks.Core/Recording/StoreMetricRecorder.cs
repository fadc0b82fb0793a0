using Benchmarks.Core.Stores;
using HdrHistogram;

namespace Benchmarks.Core.Recording;

/// <summary>
/// One store metric of one operation: every value into a fixed-size concurrent HdrHistogram (scaled to
/// integers by the metric's decimals) and an exact running sum. Memory does not grow with the run.
/// </summary>
public sealed class StoreMetricRecorder
{
    /// <summary>Scaled values up to 10^15 (a billion rows with three decimals), 3 significant digits.</summary>
    private const long Highest = 1_000_000_000_000_000;

    private readonly LongConcurrentHistogram _histogram = new(1, Highest, 3);
    private readonly double _scale;
    private long _zeros;
    private double _sum;

    public StoreMetricRecorder(StoreMetric metric)
    {
        Metric = metric;
        _scale = Math.Pow(10, metric.Decimals);
    }

    public StoreMetric Metric { get; }

    public double Scale => _scale;

    /// <summary>Values recorded so far, including zeros (the histogram cannot hold zero; they are counted apart).</summary>
    public long Count => _histogram.TotalCount + Interlocked.Read(ref _zeros);

    public long Zeros => Interlocked.Read(ref _zeros);

    public double Sum => Volatile.Read(ref _sum);

    public HistogramBase Histogram => _histogram;

    public void Record(double value)
    {
        if (double.IsNaN(value) || value < 0)
        {
            return;
        }

        var scaled = (long)Math.Round(value * _scale);
        if (scaled <= 0)
        {
            Interlocked.Increment(ref _zeros);
        }
        else
        {
            _histogram.RecordValue(Math.Min(scaled, Highest));
        }

        double seen, added;
        do
        {
            seen = Volatile.Read(ref _sum);
            added = seen + value;
        }
        while (Interlocked.CompareExchange(ref _sum, added, seen) != seen);
    }

    /// <summary>The value at <paramref name="percentile"/>, zeros included, in the metric's unit.</summary>
    public double ValueAtPercentile(double percentile) => ValueAtPercentile(_histogram, Zeros, _scale, percentile);

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
}

/// <summary>A store metric's values over one or more recorders: one operation, or the whole mix.</summary>
public sealed record StoreMetricValues(StoreMetric Metric, HistogramBase Histogram, long Zeros, double Scale, double Sum)
{
    public long Count => Histogram.TotalCount + Zeros;

    public double Max => Histogram.TotalCount > 0 ? Histogram.GetMaxValue() / Scale : 0;

    public double ValueAtPercentile(double percentile) => StoreMetricRecorder.ValueAtPercentile(Histogram, Zeros, Scale, percentile);

    /// <summary>Histograms merged and sums added; the recorders must be of the same metric.</summary>
    public static StoreMetricValues Merge(IReadOnlyList<StoreMetricRecorder> recorders)
    {
        var merged = recorders[0].Histogram.Copy();
        foreach (var other in recorders.Skip(1))
        {
            merged.Add(other.Histogram);
        }

        return new StoreMetricValues(recorders[0].Metric, merged, recorders.Sum(r => r.Zeros), recorders[0].Scale, recorders.Sum(r => r.Sum));
    }
}
