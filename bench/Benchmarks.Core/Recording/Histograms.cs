using HdrHistogram;

namespace Benchmarks.Core.Recording;

/// <summary>The one histogram shape of the project: microseconds, 1 µs to 1 h, 3 significant digits.</summary>
public static class Histograms
{
    public const int SignificantDigits = 3;

    public static HistogramBase Create() => new LongHistogram(1, Timing.HighestTrackableMicros, SignificantDigits);

    /// <summary>
    /// A recorder whose interval histograms take concurrent writers without losing counts
    /// (a plain LongHistogram factory lost counts under concurrent writers).
    /// </summary>
    public static Recorder CreateRecorder() =>
        HistogramFactory.With64BitBucketSize()
            .WithValuesFrom(1)
            .WithValuesUpTo(Timing.HighestTrackableMicros)
            .WithPrecisionOf(SignificantDigits)
            .WithThreadSafeWrites()
            .WithThreadSafeReads()
            .Create();

    public static long Clamp(long micros) => micros > Timing.HighestTrackableMicros ? Timing.HighestTrackableMicros : micros;
}
