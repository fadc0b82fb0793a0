using Benchmarks.Core.Capacity;
using Benchmarks.Core.Results;

namespace Benchmarks.UnitTests.Reports;

/// <summary>
/// A fixed capacity search as a planner meets one: PostgreSQL with 4 connections and a 2 ms query, so
/// about 2000/s at most. It climbs to 1600/s, overloads at 3200/s and 2400/s (achieved far below offered,
/// p99 seconds), fails at 2000/s, comes out inconclusive at 1800/s then fails it when measured again, and
/// passes 1700/s twice. Steps run out of rate order, as a search's do.
/// </summary>
internal static class FixedCapacityRun
{
    public static RunOutcome Create(string directory, double scale = 1.0)
    {
        var run = FixedRun.Create(directory);
        CapacityStep Step(int index, double target, double achieved, double p50, double p99, double p999, string status) =>
            new(index, target * scale, achieved * scale, p50, p99, p999, 0, 0, status, [], $"fixed.step{index:00}.hlog");
        IReadOnlyList<CapacityStep> steps =
        [
            // The climb: every step passes.
            Step(1, 100, 100, 2.1, 3.0, 4.2, RunStatus.Passed),
            Step(2, 200, 200, 2.1, 3.2, 4.5, RunStatus.Passed),
            Step(3, 400, 400, 2.2, 3.6, 5.1, RunStatus.Passed),
            Step(4, 800, 799.8, 2.3, 4.8, 7.9, RunStatus.Passed),
            Step(5, 1600, 1599.1, 3.1, 14.2, 25.0, RunStatus.Passed),
            // Past the knee: overloaded (achieved far below offered), then failed and inconclusive near it.
            Step(6, 3200, 1142, 950, 2200, 2410, RunStatus.Failed),
            Step(7, 2400, 1890, 420, 1100, 1250, RunStatus.Failed),
            Step(8, 2000, 1985, 12, 80, 140, RunStatus.Failed),
            Step(9, 1800, 1799, 6, 55, 90, RunStatus.Inconclusive),
            Step(10, 1800, 1798, 7, 61, 96, RunStatus.Failed),
            // The candidate, passed twice.
            Step(11, 1700, 1699.5, 4.4, 31.5, 44.0, RunStatus.Passed),
            Step(12, 1700, 1699.7, 4.2, 36.0, 47.5, RunStatus.Passed),
        ];
        var capacity = 1700 * scale;
        var summary = new CapacitySummary(capacity, 1800 * scale, 5, $"capacity {capacity}/s: the highest rate whose step met every SLA, twice",
            "each step ran 2s warm-up + 10s measured", steps)
        {
            WhatIf = Sizing.WhatIf(capacity, null, "postgres"),
            LimitingSla = ["p(99) < 50ms"],
            BoundBy = "the store: at 1800/s it broke the SLA while the load generator kept up",
        };
        var result = run.Result with
        {
            Scenario = run.Result.Scenario with { Name = "registry-capacity", Store = "postgres", Executor = "capacity-search" },
            Load = run.Result.Load with { Executor = "capacity-search", TargetRatePerSecond = capacity },
            Sla = [run.Result.Sla[0] with { Threshold = "p(99) < 50ms", Target = 50 }],
            Capacity = summary,
        };
        return run with { Result = result };
    }
}
