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
    public Capacity.SizingInputs? Sizing { get; init; }
}

/// <summary>The store kind and its driver-specific settings (already validated by that driver's factory).</summary>
public sealed record StoreDefinition(string Kind, object Settings, string RedactedTarget);

public sealed record DataDefinition(long Keys, string KeyPrefix, ValueDefinition Value, bool Preload, int PreloadBatch);

public sealed record WorkloadDefinition(KeyDistributionDefinition Distribution, IReadOnlyList<OperationDefinition> Mix);

/// <summary>One entry of the operation mix; <see cref="Settings"/> belongs to the store driver that parsed it.</summary>
public sealed record OperationDefinition(string Name, string Operation, double Weight, object? Settings);

public sealed record RateStage(double TargetPerSecond, TimeSpan Duration);

/// <summary>
/// When operations start: the executor's own settings (<see cref="Executors.ExecutorSettings"/>, one record per
/// executor kind) and what every executor shares.
/// </summary>
/// <param name="OperationLimit">Stop after this many measured operations (null: the duration ends the run).</param>
public sealed record LoadDefinition(
    Executors.ExecutorSettings Executor,
    TimeSpan Warmup,
    long? OperationLimit,
    TimeSpan DrainTimeout,
    GeneratorLimits Limits)
{
    /// <summary>The measured window's length (per step, for a capacity search).</summary>
    public TimeSpan MeasuredDuration => Executor.MeasuredDuration;
}

/// <summary>
/// Limits on the load generator itself: past them the run is reported invalid, because the numbers
/// would describe the generator rather than the store. The lag of starting operations adds to every
/// corrected latency, so it must stay small in absolute terms and next to the measured p99.
/// </summary>
public sealed record GeneratorLimits(TimeSpan MaxSchedulingLagP99, double MaxLagShareOfP99, TimeSpan MaxThreadPoolDelay)
{
    public static readonly GeneratorLimits Default = new(TimeSpan.FromMilliseconds(1), 0.25, TimeSpan.FromSeconds(1));
}
