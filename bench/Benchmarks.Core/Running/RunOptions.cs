using Benchmarks.Core.Agents;
using Benchmarks.Core.Live;
using Benchmarks.Core.Recording;

namespace Benchmarks.Core.Running;

/// <summary>How to run a scenario: where the files go, what overrides were applied (for the record) and who watches.</summary>
public sealed record RunOptions(string OutputDirectory, IReadOnlyList<string> Overrides, IRunProgress Progress)
{
    /// <summary>Set when this process is one agent of a scaled-out run (its share is already in the scenario); null: the whole run.</summary>
    public AgentRun? Agent { get; init; }

    /// <summary>Where the run's seconds are exported live (OpenTelemetry, Prometheus); null (the default): nowhere.</summary>
    public LiveMetrics? Live { get; init; }
}
