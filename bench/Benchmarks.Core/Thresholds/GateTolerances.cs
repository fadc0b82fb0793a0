using System.Globalization;

namespace Benchmarks.Core.Thresholds;

/// <summary>
/// How much worse a metric may get against a baseline before the regression gate fails, in percent:
/// relative for latencies and throughput, percentage points of the error rate for <c>errors</c>.
/// Defaults are wide enough that two runs of one scenario on a shared 2-core VM pass; tighten them
/// (scenario <c>gate:</c> section or <c>bench compare --tolerance</c>) where the machine is quiet.
/// </summary>
public static class GateTolerances
{
    /// <summary>Metric name → default tolerance in percent. <c>max</c> is one sample per interval: reported, gated only when asked.</summary>
    public static readonly IReadOnlyDictionary<string, double?> Defaults = new Dictionary<string, double?>(StringComparer.Ordinal)
    {
        ["p50"] = 25,
        ["p90"] = 35,
        ["p99"] = 50,
        ["p99.9"] = 100,
        ["max"] = null,
        ["throughput"] = 5,
        ["errors"] = 0.1,
    };

    public static IReadOnlyCollection<string> Metrics => [.. Defaults.Keys];

    public static readonly string Hint = $"metrics: {string.Join(", ", Defaults.Keys)}; tolerances like 20%";

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
