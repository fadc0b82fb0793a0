using Benchmarks.Core.Results;
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
    public double ValueAtPercentile(double percentile) => StoreMetricValues.ValueAtPercentile(_histogram, Zeros, _scale, percentile);

    /// <summary>A copy of what was recorded so far, for the result.</summary>
    public StoreMetricValues Snapshot() => new(Metric.Name, Metric.Unit, Metric.Additive, _histogram.Copy(), Zeros, _scale, Sum);
}
