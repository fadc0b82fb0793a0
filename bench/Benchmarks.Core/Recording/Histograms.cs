using HdrHistogram;

namespace Benchmarks.Core.Recording;

/// <summary>The one histogram shape of the project: microseconds, 1 µs to 1 h, 3 significant digits.</summary>
public static class Histograms
{
    public const int SignificantDigits = 3;

    public static HistogramBase Create() => new LongHistogram(1, Timing.HighestTrackableMicros, SignificantDigits);

    /// <summary>
    /// A recorder whose interval histograms take concurrent writers without losing counts (a plain LongHistogram
    /// lost counts under concurrent writers) and are read without locks (see <see cref="AtomicCountsHistogram"/>).
    /// </summary>
    public static Recorder CreateRecorder() =>
        new(1, Timing.HighestTrackableMicros, SignificantDigits,
            (instanceId, lowest, highest, digits) => new AtomicCountsHistogram(instanceId, lowest, highest, digits));

    public static long Clamp(long micros) => micros > Timing.HighestTrackableMicros ? Timing.HighestTrackableMicros : micros;
}
