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

public enum ExecutorKind
{
    ConstantArrivalRate,
    RampingArrivalRate,
    ConstantConcurrency,
    CapacitySearch,
}

/// <summary>
/// The capacity search: steps of constant arrival rate (each with its warm-up and measured window),
/// the rate multiplied by <see cref="Growth"/> until a step breaks the SLA, then bisected between the
/// last passing and the first failing rate until they are within <see cref="PrecisionPercent"/>.
/// </summary>
public sealed record CapacitySearchDefinition(double StartRatePerSecond, double Growth, double? MaxRatePerSecond, double PrecisionPercent, int MaxSteps);

public sealed record RateStage(double TargetPerSecond, TimeSpan Duration);

/// <summary>
/// When operations start. Open-model fields (rate, stages, maxInFlight, maxLag) and the closed-model
/// field (concurrency) are validated against the executor chosen.
/// </summary>
public sealed record LoadDefinition(
    ExecutorKind Executor,
    double RatePerSecond,
    double StartRatePerSecond,
    IReadOnlyList<RateStage> Stages,
    int Concurrency,
    TimeSpan Duration,
    TimeSpan Warmup,
    long? OperationLimit,
    int MaxInFlight,
    TimeSpan MaxLag,
    TimeSpan DrainTimeout,
    GeneratorLimits Limits)
{
    /// <summary>Set for the capacity-search executor: how the steps are chosen. Duration and warm-up are per step.</summary>
    public CapacitySearchDefinition? Search { get; init; }

    /// <summary>The measured window length: the sum of stages for ramping, the duration otherwise.</summary>
    public TimeSpan MeasuredDuration =>
        Executor == ExecutorKind.RampingArrivalRate ? TimeSpan.FromTicks(Stages.Sum(s => s.Duration.Ticks)) : Duration;
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
