using System.Globalization;
using System.Text.RegularExpressions;

namespace Benchmarks.Core.Parsing;

/// <summary>Parses the human units scenario files use: durations (250us, 1.5ms, 30s, 2m, 1h), rates (5000/s, 300/m) and sizes (512B, 64KB, 1.5GB).</summary>
public static partial class Units
{
    [GeneratedRegex(@"^\s*(?<n>[0-9]+(\.[0-9]+)?)\s*(?<u>ns|us|µs|ms|s|m|h)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex DurationPattern();

    [GeneratedRegex(@"^\s*(?<n>[0-9]+(\.[0-9]+)?)\s*(/\s*(?<u>s|m|h|min))?\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex RatePattern();

    [GeneratedRegex(@"^\s*(?<n>[0-9]+(\.[0-9]+)?)\s*(?<u>B|KB|KiB|MB|MiB|GB|GiB)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex SizePattern();

    public const string SizeHint = "write bytes with a unit: 512B, 64KB, 16MB, 2GB (1 KB = 1024 B)";

    /// <summary>A size in bytes; KB, MB and GB are binary (1024-based) as storage tools count them, and KiB, MiB, GiB say the same.</summary>
    public static bool TryParseSize(string text, out long bytes)
    {
        bytes = 0;
        var m = SizePattern().Match(text);
        if (!m.Success)
        {
            return false;
        }

        var n = double.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture);
        var scale = m.Groups["u"].Value[0] switch
        {
            'K' => 1024.0,
            'M' => 1024.0 * 1024,
            'G' => 1024.0 * 1024 * 1024,
            _ => 1.0,
        };
        bytes = (long)Math.Round(n * scale);
        return true;
    }

    public const string DurationHint = "write a number with a unit: 250us, 1.5ms, 30s, 2m, 1h";
    public const string RateHint = "write operations per unit of time: 5000/s, 300/m, 10/h";

    public static bool TryParseDuration(string text, out TimeSpan value)
    {
        value = default;
        var m = DurationPattern().Match(text);
        if (!m.Success)
        {
            return false;
        }

        var n = double.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture);
        double ticksPerUnit = m.Groups["u"].Value switch
        {
            "ns" => TimeSpan.TicksPerMicrosecond / 1000.0,
            "us" or "µs" => TimeSpan.TicksPerMicrosecond,
            "ms" => TimeSpan.TicksPerMillisecond,
            "s" => TimeSpan.TicksPerSecond,
            "m" => TimeSpan.TicksPerMinute,
            _ => TimeSpan.TicksPerHour,
        };
        var ticks = n * ticksPerUnit;
        if (ticks > TimeSpan.MaxValue.Ticks)
        {
            return false;
        }

        value = TimeSpan.FromTicks((long)Math.Round(ticks));
        return true;
    }

    /// <summary>Rates are operations per second; a bare number is per second.</summary>
    public static bool TryParseRate(string text, out double perSecond)
    {
        perSecond = 0;
        var m = RatePattern().Match(text);
        if (!m.Success)
        {
            return false;
        }

        var n = double.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture);
        perSecond = m.Groups["u"].Value switch
        {
            "m" or "min" => n / 60.0,
            "h" => n / 3600.0,
            _ => n,
        };
        return true;
    }

    public static string FormatDuration(TimeSpan t) =>
        t.TotalSeconds >= 1 ? $"{t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)}s"
        : t.TotalMilliseconds >= 1 ? $"{t.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture)}ms"
        : $"{(t.Ticks / 10.0).ToString("0.###", CultureInfo.InvariantCulture)}us";
}
