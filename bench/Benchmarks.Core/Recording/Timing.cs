using System.Diagnostics;

namespace Benchmarks.Core.Recording;

/// <summary>
/// Converts Stopwatch timestamps to the fixed unit every histogram records in: microseconds.
/// Stopwatch ticks differ per OS (1 ns on Linux, 100 ns on Windows), so ticks never reach a histogram.
/// </summary>
public static class Timing
{
    public const string Unit = "us";

    /// <summary>1 hour: the top of every latency histogram; longer values are clamped and counted as such.</summary>
    public const long HighestTrackableMicros = 3_600_000_000L;

    private static readonly double MicrosPerTick = 1_000_000.0 / Stopwatch.Frequency;

    public static long Now => Stopwatch.GetTimestamp();

    public static long TicksPerSecond => Stopwatch.Frequency;

    public static long ToMicros(long ticks) => ticks <= 0 ? 0 : (long)((ticks * MicrosPerTick) + 0.5);

    public static long FromSeconds(double seconds) => (long)Math.Round(seconds * Stopwatch.Frequency);

    public static long FromTimeSpan(TimeSpan t) => FromSeconds(t.TotalSeconds);

    public static double ToSeconds(long ticks) => ticks / (double)Stopwatch.Frequency;
}
