using Benchmarks.Core.Execution;
using Benchmarks.Core.Scenarios;

namespace Benchmarks.Core.Agents;

/// <summary>
/// One agent's part of a scenario: its slice of the schedule (of each step's, for a capacity search), its share of the
/// workers and of an operation limit.
/// </summary>
public static class AgentShare
{
    /// <summary>Why <paramref name="scenario"/> cannot be split into <paramref name="slice"/>'s share; null when it can.</summary>
    public static string? WhyNot(Scenario scenario, AgentSlice slice)
    {
        if (scenario.Load.Executor.Concurrency is { } workers && workers < slice.Count)
        {
            return $"{workers} workers cannot be shared by {slice.Count} agents: each agent needs at least one (raise load.concurrency or run fewer agents)";
        }

        if (scenario.Faults.Count > 0)
        {
            return "scripted faults act on the store once, from one process: run a fault drill without --agent";
        }

        return null;
    }

    /// <summary>The scenario as agent <paramref name="slice"/> runs it (check <see cref="WhyNot"/> first).</summary>
    public static Scenario Of(Scenario scenario, AgentSlice slice) => slice.IsWhole ? scenario : scenario with
    {
        Load = scenario.Load with
        {
            Executor = scenario.Load.Executor with { Agent = slice },
            OperationLimit = scenario.Load.OperationLimit is { } limit ? slice.Share(limit) : null,
        },
    };
}
