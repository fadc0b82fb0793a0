using HdrHistogram;

namespace Benchmarks.Core.Results;

public static class LatencySummaries
{
    /// <summary>Reads the contract's percentiles from a microsecond histogram, in milliseconds.</summary>
    public static LatencySummary From(HistogramBase h)
    {
        if (h.TotalCount == 0)
        {
            return new LatencySummary(0, 0, 0, 0, 0, 0, 0, 0, 0);
        }

        static double Ms(long micros) => micros / 1000.0;
        return new LatencySummary(
            h.TotalCount,
            Ms(h.GetValueAtPercentile(50)),
            Ms(h.GetValueAtPercentile(90)),
            Ms(h.GetValueAtPercentile(99)),
            Ms(h.GetValueAtPercentile(99.9)),
            Ms(h.GetValueAtPercentile(99.99)),
            Ms(h.GetMaxValue()),
            Math.Round(h.GetMean() / 1000.0, 6),
            Ms(h.LowestEquivalentValue(h.RecordedValues().First().ValueIteratedTo)));
    }
}
