using Benchmarks.Core.Results;

namespace Benchmarks.Reports.Html;

/// <summary>How a capacity step reads on the planner's curve.</summary>
public enum StepKind
{
    /// <summary>Met every SLA: a point of the latency-throughput curve.</summary>
    Passed,

    /// <summary>Broke an SLA while serving the offered load.</summary>
    Failed,

    /// <summary>Served clearly less than it was offered: past saturation, its latency is the backlog's.</summary>
    Overloaded,

    /// <summary>The load generator's own lag could have decided its verdict.</summary>
    Inconclusive,

    /// <summary>Did not measure the store (unreachable, load not offered, cancelled).</summary>
    Invalid,
}

/// <summary>One step as drawn: offered and achieved rates, its percentiles, its kind, and whether it repeats a rate already on the curve.</summary>
public sealed record CurvePoint(int Step, double OfferedPerSecond, double AchievedPerSecond, double P50, double P99, double P999, StepKind Kind, bool Repeat);

/// <summary>
/// The capacity search's steps arranged as a planner reads them: latency against the load offered, one
/// point of the passing curve per distinct rate in rate order (where a rate passed more than once, its worst
/// p99 is on the curve and the other measurements are marked as repeats), and every step that did not pass
/// kept off the curve with a kind of its own. Joining the steps in the order they ran draws zig-zags:
/// a search jumps above the knee and back.
/// </summary>
public sealed record CapacityCurve(IReadOnlyList<CurvePoint> Passing, IReadOnlyList<CurvePoint> Others)
{
    /// <summary>A step that achieved less than this share of its offered rate is overloaded rather than merely failed.</summary>
    public const double OverloadedBelow = 0.95;

    public static StepKind KindOf(CapacityStep step) => step.Status switch
    {
        RunStatus.Passed => StepKind.Passed,
        RunStatus.Inconclusive => StepKind.Inconclusive,
        RunStatus.Failed => step.AchievedRatePerSecond < OverloadedBelow * step.TargetRatePerSecond ? StepKind.Overloaded : StepKind.Failed,
        _ => StepKind.Invalid,
    };

    public static CapacityCurve From(CapacitySummary capacity)
    {
        var points = capacity.Steps.Select(s => new CurvePoint(s.Index, s.TargetRatePerSecond, s.AchievedRatePerSecond, s.P50, s.P99, s.P999, KindOf(s), false)).ToList();
        var passing = points.Where(p => p.Kind == StepKind.Passed).GroupBy(p => p.OfferedPerSecond)
            .Select(g => g.OrderByDescending(p => p.P99).ThenBy(p => p.Step).First())
            .OrderBy(p => p.OfferedPerSecond).ToList();
        var onCurve = passing.Select(p => p.Step).ToHashSet();
        var repeatedRates = points.GroupBy(p => p.OfferedPerSecond).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet();
        var others = points.Where(p => !onCurve.Contains(p.Step))
            .Select(p => p with { Repeat = repeatedRates.Contains(p.OfferedPerSecond) })
            .OrderBy(p => p.OfferedPerSecond).ThenBy(p => p.Step).ToList();
        return new CapacityCurve(passing, others);
    }
}
