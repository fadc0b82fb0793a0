using System.Globalization;

namespace Benchmarks.Core.Thresholds;

/// <summary>
/// How much worse a metric may get against a baseline before the regression gate fails, in percent:
/// relative for latencies and throughput, percentage points of the error rate for <c>errors</c>.
/// Defaults are wide enough that two runs of one scenario on a shared 2-core VM pass; tighten them
/// (scenario <c>gate:</c> section or <c>bench compare --tolerance</c>) where the machine is quiet.
/// One entry, <see cref="Resolution"/>, is an absolute floor under the latency tolerances instead.
/// </summary>
public static class GateTolerances
{
    /// <summary>Metric name → default tolerance in percent (and <see cref="Resolution"/> in ms). <c>max</c> is one sample per interval: reported, gated only when asked.</summary>
    public static readonly IReadOnlyDictionary<string, double?> Defaults = new Dictionary<string, double?>(StringComparer.Ordinal)
    {
        ["p50"] = 25,
        ["p90"] = 35,
        ["p99"] = 50,
        ["p99.9"] = 100,
        ["max"] = null,
        ["throughput"] = 5,
        ["errors"] = 0.1,
        [Resolution] = 0.25,
    };

    /// <summary>
    /// Not a metric but the gate's latency resolution, in milliseconds: a latency regresses only when it
    /// grows by more than its tolerance *and* by more than this. Below a millisecond the machine, not the
    /// code, sets a percentile's level: on a shared 2-vCPU VM, runs of one build a few seconds apart had
    /// p50s of 0.14 and 0.27 ms (an idle vCPU's wake-up is most of a sub-millisecond round trip there, and
    /// it varies with the host), which every per-second sample confirmed. 0.25 ms is above the largest such
    /// difference measured there (0.15 ms); set it lower on a quiet, dedicated machine.
    /// </summary>
    public const string Resolution = "resolution";

    public static IReadOnlyCollection<string> Metrics => [.. Defaults.Keys];

    public static readonly string Hint = $"metrics: {string.Join(", ", Defaults.Keys.Where(k => k != Resolution))}; tolerances like 20%; {Resolution}=0.25ms (the smallest latency change that can regress)";

    /// <summary>A setting of <paramref name="metric"/>: a percentage, or for <see cref="Resolution"/> a duration (in ms).</summary>
    public static bool TryParse(string metric, string text, out double value)
    {
        if (metric != Resolution)
        {
            return TryParsePercent(text, out value);
        }

        var ok = Parsing.Units.TryParseDuration(text, out var duration) && duration >= TimeSpan.Zero;
        value = ok ? duration.TotalMilliseconds : 0;
        return ok;
    }

    /// <summary>
    /// The tolerance, in percent of <paramref name="baselineMs"/>, that a latency is judged by: its own, or the
    /// <see cref="Resolution"/> as a share of the baseline where that is more.
    /// </summary>
    public static double LatencyTolerance(double tolerancePercent, double resolutionMs, double baselineMs) =>
        baselineMs > 0 ? Math.Max(tolerancePercent, Math.Round(100 * resolutionMs / baselineMs, 2)) : tolerancePercent;

    /// <summary>What to write for <paramref name="metric"/> when its value could not be read.</summary>
    public static string Expected(string metric) => metric == Resolution ? "a duration, e.g. 0.1ms" : "a percentage, e.g. 20%";

    /// <summary>Parses "20%" (or "20"): a non-negative percentage.</summary>
    public static bool TryParsePercent(string text, out double percent)
    {
        var t = text.Trim();
        if (t.EndsWith('%'))
        {
            t = t[..^1];
        }

        return double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out percent) && percent >= 0 && double.IsFinite(percent);
    }

    /// <summary>Defaults, overridden by the scenario's gate, overridden by the command line.</summary>
    public static IReadOnlyDictionary<string, double?> Resolve(params IReadOnlyDictionary<string, double>?[] layers)
    {
        var result = new Dictionary<string, double?>(Defaults, StringComparer.Ordinal);
        foreach (var layer in layers)
        {
            foreach (var (metric, tolerance) in layer ?? new Dictionary<string, double>())
            {
                result[metric] = tolerance;
            }
        }

        return result;
    }
}
