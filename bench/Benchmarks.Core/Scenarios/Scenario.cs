using Benchmarks.Core.Capacity;
using Benchmarks.Core.Execution;
using Benchmarks.Core.Executors;
using Benchmarks.Core.Health;
using Benchmarks.Core.Thresholds;
using Benchmarks.Core.Workload;

namespace Benchmarks.Core.Scenarios;

/// <summary>A validated scenario: everything needed to run it, nothing left to interpret at run time.</summary>
public sealed record Scenario(
    string Name,
    string? Description,
    string SourcePath,
    ulong Seed,
    StoreDefinition Store,
    DataDefinition Data,
    WorkloadDefinition Workload,
    LoadDefinition Load,
    IReadOnlyList<SlaThreshold> Sla)
{
    /// <summary>Tolerances for the regression gate (metric → percent) that this scenario sets; the rest are defaults.</summary>
    public IReadOnlyDictionary<string, double> Gate { get; init; } = new Dictionary<string, double>();

    /// <summary>A planner's inputs for sizing from a capacity search; null when the scenario has no <c>sizing:</c> section.</summary>
    public SizingInputs? Sizing { get; init; }

    /// <summary>Rules that stop the run when a condition has held for a while (<c>abortOn:</c>); empty: the run goes to its end.</summary>
    public IReadOnlyList<AbortRule> AbortOn { get; init; } = [];

    /// <summary>Scripted faults during the measured window (<c>faults:</c>); empty: none.</summary>
    public IReadOnlyList<Faults.FaultDefinition> Faults { get; init; } = [];
}

/// <summary>The store kind and its driver-specific settings (already validated by that driver's factory).</summary>
public sealed record StoreDefinition(string Kind, object Settings, string RedactedTarget);

/// <summary>
/// When operations start: the executor's own settings (<see cref="ExecutorSettings"/>, one record per
/// executor kind) and what every executor shares.
/// </summary>
/// <param name="OperationLimit">Stop after this many measured operations (null: the duration ends the run).</param>
/// <param name="RemeasureInconclusive">How many times a single window that came out inconclusive is measured again.</param>
public sealed record LoadDefinition(
    ExecutorSettings Executor,
    TimeSpan Warmup,
    long? OperationLimit,
    TimeSpan DrainTimeout,
    GeneratorLimits Limits,
    int RemeasureInconclusive = LoadDefinition.DefaultRemeasureInconclusive)
{
    /// <summary>
    /// Once: on a shared machine the generator's lag comes in bursts of seconds to minutes, and a second window
    /// usually decides what the first could not, for the price of one more window when it is needed.
    /// </summary>
    public const int DefaultRemeasureInconclusive = 1;

    /// <summary>The measured window's length (per step, for a capacity search).</summary>
    public TimeSpan MeasuredDuration => Executor.MeasuredDuration;

    /// <summary>What bounds each measured window besides the executor.</summary>
    public WindowBounds Bounds => new(Warmup, OperationLimit, DrainTimeout);
}
