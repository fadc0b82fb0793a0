using System.Globalization;
using Benchmarks.Core.Results;

namespace Benchmarks.Core.Faults;

/// <summary>
/// How long a store took to recover from a fault: from the fault's end to the first second of the run whose
/// latency is back within the criterion and that has no errors. The criterion is the scenario's own latency
/// SLA on the total when it has one (its percentile, as far as the per-second figures hold it: p50, p90, p99,
/// p99.9 or max); otherwise twice the p99 measured before the first fault.
/// </summary>
public sealed class Recovery
{
    private readonly Func<IntervalPoint, double> _latency;
    private readonly double _limitMs;

    private Recovery(Func<IntervalPoint, double> latency, double limitMs, string criterion)
    {
        _latency = latency;
        _limitMs = limitMs;
        Criterion = criterion;
    }

    /// <summary>What a second must meet, as the reports say it.</summary>
    public string Criterion { get; }

    /// <param name="slaPercentile">The percentile of the scenario's latency target on the total, if any (100 for max).</param>
    /// <param name="slaLimitMs">That target's limit in ms.</param>
    /// <param name="beforeP99Ms">The total's p99 before the first fault, if that phase was measured.</param>
    public static Recovery? For(double? slaPercentile, double? slaLimitMs, double? beforeP99Ms)
    {
        var inv = CultureInfo.InvariantCulture;
        if (slaPercentile is { } p && slaLimitMs is { } limit)
        {
            Func<IntervalPoint, double> pick = p switch
            {
                <= 50 => x => x.P50,
                <= 90 => x => x.P90,
                <= 99 => x => x.P99,
                < 100 => x => x.P999,
                _ => x => x.Max,
            };
            var name = p switch { <= 50 => "p50", <= 90 => "p90", <= 99 => "p99", < 100 => "p99.9", _ => "max" };
            return new Recovery(pick, limit, string.Create(inv, $"{name} < {limit:0.###} ms (the SLA) and no errors"));
        }

        return beforeP99Ms is { } before && before > 0
            ? new Recovery(x => x.P99, 2 * before, string.Create(inv, $"p99 < {2 * before:0.###} ms (twice the p99 before the first fault; the scenario has no latency SLA) and no errors"))
            : null;
    }

    /// <summary>Seconds from <paramref name="faultEndSeconds"/> to the first good second after it; null when none came.</summary>
    /// <param name="total">The total's per-second points; their start is in the session's seconds.</param>
    /// <param name="measureOffsetSeconds">The measured window's start in the session's seconds.</param>
    public double? After(IReadOnlyList<IntervalPoint> total, double measureOffsetSeconds, double faultEndSeconds)
    {
        foreach (var point in total)
        {
            var start = point.StartSeconds - measureOffsetSeconds;
            // A second that began before the end still holds the fault's own operations: the first candidate starts after it.
            if (start + 1e-6 < faultEndSeconds || point.LengthSeconds < 0.5)
            {
                continue;
            }

            if (point.Errors == 0 && point.Count > 0 && _latency(point) < _limitMs)
            {
                return Math.Round(start - faultEndSeconds, 3);
            }
        }

        return null;
    }
}
