using System.Text.Json.Serialization;
using HdrHistogram;

namespace Benchmarks.Core.Results;

/// <summary>
/// The contract of <c>result.json</c>. Other tools (reports, gates, planners) build on it: add fields
/// freely, but renaming or removing one is a breaking change and bumps <see cref="CurrentSchemaVersion"/>.
/// </summary>
public sealed record RunResult
{
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    public required ScenarioInfo Scenario { get; init; }

    /// <summary>passed, failed, inconclusive, invalid, aborted (an abort rule fired) or interrupted (stopped from outside).</summary>
    public required string Status { get; init; }

    /// <summary>Why the status is what it is, in words (the failed SLAs, the generator problem...).</summary>
    public required IReadOnlyList<string> StatusReasons { get; init; }

    public required DateTimeOffset StartTime { get; init; }

    /// <summary>Measured window in seconds (warm-up excluded).</summary>
    public required double DurationSeconds { get; init; }

    public required double WarmupSeconds { get; init; }

    public required EnvironmentInfo Environment { get; init; }

    public required LoadSummary Load { get; init; }

    public required IReadOnlyList<OperationResult> Operations { get; init; }

    public required OperationResult Total { get; init; }

    public required IReadOnlyList<SlaVerdict> Sla { get; init; }

    public required GeneratorHealth Generator { get; init; }

    /// <summary>Per-second series of the run, per operation and for the total (corrected latency).</summary>
    public required IReadOnlyList<IntervalSeries> Intervals { get; init; }

    public required OutputFiles Files { get; init; }

    /// <summary>Present for the capacity-search executor: the steps and the capacity found. The rest of the result is the step at that capacity.</summary>
    public CapacitySummary? Capacity { get; init; }

    /// <summary>For stores that charge request units: the RU/s the measured workload needs at its target rate.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Capacity.RequestUnitPlan? RequestUnits { get; init; }

    /// <summary>The scripted faults of the run (<c>faults:</c>): what was done, when it actually started and ended, how long recovery took.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<FaultResult>? Faults { get; init; }

    /// <summary>The measured window split by the faults: before the first, during any, after; each with its operations and the total.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<PhaseResult>? Phases { get; init; }

    /// <summary>
    /// Earlier measurements of this window that came out inconclusive and were measured again
    /// (<c>load.remeasureInconclusive</c>), oldest first; the rest of the result is the last attempt's.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<WindowAttempt>? EarlierAttempts { get; init; }

    /// <summary>For a run merged from several agents (<c>bench merge</c>): each agent as the merge found it.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<AgentResult>? Agents { get; init; }
}

/// <summary>
/// An earlier measurement of the same window whose verdict the load generator could have decided: what it
/// measured, how its generator fared, and the .hlog it is kept in beside the attempt that was reported.
/// </summary>
/// <param name="Attempt">1 for the first measurement.</param>
/// <param name="P99Ms">The total's corrected p99.</param>
/// <param name="SchedulingLagP99Ms">The generator's start lag p99; null in a closed model, which has no schedule.</param>
/// <param name="GeneratorShare">In words, how much of that p99 the generator could account for (<see cref="GeneratorHealth.Share"/>).</param>
public sealed record WindowAttempt(
    int Attempt,
    string Status,
    IReadOnlyList<string> StatusReasons,
    double P99Ms,
    double? SchedulingLagP99Ms,
    double LongestPauseMs,
    string? GeneratorShare,
    string? Hlog);

/// <summary>
/// One agent of a merged run: whether it finished, what it offered and achieved, how its generator kept up, and how
/// far its clock was from the run folder's. Count and rate are from its .hlog, so a killed agent's measured seconds still count.
/// </summary>
/// <param name="State">finished, killed (its .hlog without its result: the seconds it logged are merged) or missing (nothing to merge).</param>
/// <param name="Status">The agent's own run status; null when it did not finish.</param>
/// <param name="MeasuredSeconds">The measured time its .hlog covers, from its first interval's start to its last one's end.</param>
/// <param name="ClockOffsetMs">Its clock less the run folder's, measured before it started (positive: ahead).</param>
/// <param name="StartLagMs">How long after the start instant (by its clock) it began.</param>
public sealed record AgentResult(
    int Index,
    string State,
    string? Host,
    string? Status,
    double? TargetRatePerSecond,
    double AchievedRatePerSecond,
    long Count,
    long Errors,
    double MeasuredSeconds,
    double? SchedulingLagP99Ms,
    bool Saturated,
    double? ClockOffsetMs,
    double? StartLagMs)
{
    public const string Finished = "finished";
    public const string Killed = "killed";
    public const string Missing = "missing";
}

public sealed record ScenarioInfo(
    string Name,
    string? Description,
    string File,
    ulong Seed,
    string Store,
    string Target,
    string Executor,
    string KeyDistribution,
    long Keys,
    string Value,
    IReadOnlyList<string> Overrides)
{
    /// <summary>The scenario's own regression-gate tolerances (metric → percent); absent metrics use the defaults.</summary>
    public IReadOnlyDictionary<string, double> Gate { get; init; } = new Dictionary<string, double>();
}

public sealed record EnvironmentInfo(
    string Machine,
    int Cores,
    string Os,
    string Runtime,
    string Architecture,
    string HarnessVersion,
    bool ServerGc,
    string ClientLibrary,
    string ClientVersion,
    string? Server,
    string? ServerVersion)
{
    /// <summary>
    /// The largest generation-0 budget the runtime's garbage collector allows (<c>GCGen0MaxBudget</c>, as it reports it):
    /// 6 MB by default for the workstation collector, the budget itself when one is set (<c>bench run</c> sets 64 MB on
    /// Linux). 0 in results written before it was reported.
    /// </summary>
    public long GcGen0MaxBudgetBytes { get; init; }

    /// <summary>
    /// Whether the runtime ran the framework's precompiled (ReadyToRun) code. <c>bench run</c> turns it off on Linux
    /// (<c>DOTNET_ReadyToRun=0</c>): every method is then compiled for this machine at its first call. Null in results
    /// written before it was reported.
    /// </summary>
    public bool? ReadyToRun { get; init; }
}

public sealed record LoadSummary(
    string Executor,
    double? TargetRatePerSecond,
    double AchievedRatePerSecond,
    int? MaxInFlight,
    int? Concurrency,
    long Scheduled,
    long Completed,
    long Dropped,
    long Unfinished,
    bool CoordinatedOmissionCorrected);

public sealed record OperationResult(
    string Name,
    string Operation,
    long Count,
    ErrorCounts Errors,
    double ThroughputPerSecond,
    LatencyPair Latency)
{
    /// <summary>The store's own metrics (request units, rows returned) by name; absent for stores that report none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, StoreMetricSummary>? Metrics { get; init; }

    /// <summary>The flow this is a step of (its name is then <c>flow.step</c>); absent for what the executor starts. The total leaves steps out.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PartOf { get; init; }

    /// <summary>The name of a flow's metric of 1 per lookup that hit and 0 per miss (declared as a store metric in <c>Flows.FlowMetrics</c>).</summary>
    public const string HitMetric = "hit";

    /// <summary>A flow's hit ratio (hits / lookups of its branching step), from its <c>hit</c> metric; absent when nothing was looked up.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? HitRatio => Metrics?.TryGetValue(HitMetric, out var hit) == true && hit.Count > 0 && hit.Total is { } hits ? Math.Round(hits / hit.Count, 6) : null;
}

/// <summary>
/// One store metric over the measured window, from its HdrHistogram (3 significant digits) and its
/// exact sum: what one operation used (percentiles) and what the workload used (total, per second;
/// null for a metric that is itself a rate).
/// </summary>
public sealed record StoreMetricSummary(
    string Unit,
    long Count,
    double? Total,
    double? PerSecond,
    [property: JsonPropertyName("p50")] double P50,
    [property: JsonPropertyName("p90")] double P90,
    [property: JsonPropertyName("p99")] double P99,
    double Max);

public sealed record ErrorCounts(long Total, double Rate, IReadOnlyDictionary<string, long> ByKind)
{
    /// <summary>The first message seen of each kind that occurred (exception type and first line), so a report says why.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? FirstMessages { get; init; }
}

/// <summary>Corrected: from the intended start (what a user waits). Uncorrected: from the actual start (service time).</summary>
public sealed record LatencyPair(LatencySummary Corrected, LatencySummary Uncorrected);

/// <summary>Latency percentiles in milliseconds, read from an HdrHistogram (3 significant digits).</summary>
public sealed record LatencySummary(
    long Count,
    [property: JsonPropertyName("p50")] double P50,
    [property: JsonPropertyName("p90")] double P90,
    [property: JsonPropertyName("p99")] double P99,
    [property: JsonPropertyName("p99.9")] double P999,
    [property: JsonPropertyName("p99.99")] double P9999,
    double Max,
    double Mean,
    double Min);

public sealed record SlaVerdict(
    string Threshold,
    string? Operation,
    string Metric,
    string Comparison,
    double Target,
    double Measured,
    string Unit,
    double Margin,
    double? MarginPercent,
    bool Passed,
    bool Implicit)
{
    /// <summary>
    /// The threshold holds at one end of [<see cref="BestCase"/>, measured] and not at the other: the load
    /// generator's own lag and pauses could have decided it, so it is neither passed nor failed.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Inconclusive { get; init; }

    /// <summary>pass, fail or inconclusive.</summary>
    public string Verdict => Inconclusive ? SlaOutcome.Inconclusive : Passed ? SlaOutcome.Pass : SlaOutcome.Fail;

    /// <summary>For latency thresholds: the lowest the measured value could have been with a generator that was always on time and never paused.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? BestCase { get; init; }
}

/// <summary>The words of an SLA verdict.</summary>
public static class SlaOutcome
{
    public const string Pass = "pass";
    public const string Fail = "fail";
    public const string Inconclusive = "inconclusive";
}

/// <summary>
/// How the load generator behaved. Its lag and pauses sit inside the corrected latencies and can only
/// make them worse; <see cref="Share"/> says how much of the tail they could account for, and the SLA
/// verdicts take it into account. <see cref="Saturated"/>: the generator fell so far behind that it did
/// not offer the intended load (it dropped operations itself), which makes the run invalid.
/// </summary>
public sealed record GeneratorHealth(
    LatencySummary? SchedulingLag,
    double MaxSchedulingLagP99Ms,
    double GcPauseMs,
    double GcPausePercent,
    IReadOnlyDictionary<string, int> GcCollections,
    double AllocatedMegabytes,
    LatencySummary ThreadPoolDelay,
    double MaxThreadPoolDelayMs,
    double CpuPercent,
    bool Saturated,
    IReadOnlyList<string> Findings)
{
    /// <summary>The longest single stop-the-world GC pause (ms) and how many there were.</summary>
    public double LongestGcPauseMs { get; init; }

    public int GcPauses { get; init; }

    /// <summary>Methods the JIT compiled while measuring (first compilations and tier-ups) and the time it took (ms): code the warm-up did not reach.</summary>
    public long JitMethods { get; init; }

    public double JitMs { get; init; }

    /// <summary>The longest generator pause (GC or thread-pool stall), in ms: the most it can have added to one operation in flight.</summary>
    public double LongestPauseMs { get; init; }

    /// <summary>The share of operations (%) that were in flight during some pause (Little's law estimate).</summary>
    public double PauseTouchedPercent { get; init; }

    /// <summary>Operations the generator dropped because it was itself past maxLag (not waiting for a slot).</summary>
    public long DroppedByGenerator { get; init; }

    /// <summary>In words: how much of the total p99 the generator's lag and pauses could account for.</summary>
    public string? Share { get; init; }
}

public sealed record IntervalSeries(string Operation, IReadOnlyList<IntervalPoint> Points);

/// <summary>
/// One interval (a second; the last may be shorter) of one operation: count, errors, corrected latency
/// percentiles in ms, and for the total the operations dropped in it. These are the samples the
/// regression gate tests for significance.
/// </summary>
public sealed record IntervalPoint(
    double StartSeconds,
    double LengthSeconds,
    long Count,
    long Errors,
    [property: JsonPropertyName("p50")] double P50,
    [property: JsonPropertyName("p99")] double P99,
    double Max)
{
    [JsonPropertyName("p90")]
    public double P90 { get; init; }

    [JsonPropertyName("p99.9")]
    public double P999 { get; init; }

    public long Dropped { get; init; }

    /// <summary>One interval from its corrected histogram (µs) and its errors.</summary>
    public static IntervalPoint Of(double start, double length, HistogramBase h, long errors) =>
        h.TotalCount == 0
            ? new IntervalPoint(start, length, 0, errors, 0, 0, 0)
            : new IntervalPoint(start, length, h.TotalCount, errors, h.GetValueAtPercentile(50) / 1000.0, h.GetValueAtPercentile(99) / 1000.0, h.GetMaxValue() / 1000.0)
            {
                P90 = h.GetValueAtPercentile(90) / 1000.0,
                P999 = h.GetValueAtPercentile(99.9) / 1000.0,
            };
}

public sealed record OutputFiles(string? Hlog, IReadOnlyDictionary<string, string> Hgrm, string? Summary);

public static class RunStatus
{
    public const string Passed = "passed";
    public const string Failed = "failed";
    public const string Invalid = "invalid";
    /// <summary>An abort rule of the scenario fired: the run stopped early because it was going badly (exit 1, like a failure).</summary>
    public const string Aborted = "aborted";

    /// <summary>Stopped from outside (Ctrl-C, SIGTERM) before its end: the reports cover what ran (exit 3).</summary>
    public const string Interrupted = "interrupted";

    /// <summary>
    /// Rebuilt from the .hlog of a run that never finished (killed, crashed): latencies and counts of every logged second, no errors
    /// or generator health; or merged from agents of which one or more is missing or did not finish (exit 3).
    /// </summary>
    public const string Incomplete = "incomplete";

    /// <summary>An SLA missed by less than the load generator's own lag and pauses could explain (and none missed beyond doubt).</summary>
    public const string Inconclusive = "inconclusive";

    public static int ExitCode(string status) => status switch
    {
        Passed => 0,
        Failed or Aborted => 1,
        Inconclusive => 4,
        _ => 3,
    };
}

/// <summary>The outcome of a capacity search: every step, the bracket found, and the conclusion in words.</summary>
public sealed record CapacitySummary(
    double? CapacityPerSecond,
    double? FirstFailingRatePerSecond,
    double PrecisionPercent,
    string Conclusion,
    string Confidence,
    IReadOnlyList<CapacityStep> Steps)
{
    public Capacity.SizingEstimate? Sizing { get; init; }

    /// <summary>The sizing at the rates a planner asks about (the scenario's target, the seed's figure for the store), in rate order.</summary>
    public IReadOnlyList<Capacity.SizingEstimate> WhatIf { get; init; } = [];

    /// <summary>The thresholds that did not hold at the first rate that did not pass (what limits the capacity); empty when every step passed.</summary>
    public IReadOnlyList<string> LimitingSla { get; init; } = [];

    /// <summary>What bounded the search: the store, the load generator, or the search's own limits (maxRate, maxSteps), in words.</summary>
    public string? BoundBy { get; init; }
}

/// <summary>One constant-rate step of a capacity search, judged by the scenario's SLA.</summary>
public sealed record CapacityStep(
    int Index,
    double TargetRatePerSecond,
    double AchievedRatePerSecond,
    [property: JsonPropertyName("p50")] double P50,
    [property: JsonPropertyName("p99")] double P99,
    [property: JsonPropertyName("p99.9")] double P999,
    long Errors,
    long Dropped,
    string Status,
    IReadOnlyList<string> Reasons,
    string Hlog);

/// <summary>
/// One scripted fault as it happened. Times are seconds from the start of the measured window; the fault's
/// window is from <see cref="StartSeconds"/> (the action done) to <see cref="EndSeconds"/> (undone: resumed,
/// restarted and answering, or the command returned). <see cref="RecoverySeconds"/>: from the end to the
/// first second whose latency is back within the SLA with no errors; null when that second never came.
/// </summary>
public sealed record FaultResult(string Action, string Target, double AtSeconds, double DurationSeconds, double? StartSeconds, double? EndSeconds)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? RecoverySeconds { get; init; }

    /// <summary>What recovery was judged against (e.g. "p99 &lt; 5 ms (the SLA) and no errors").</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? RecoveryCriterion { get; init; }

    /// <summary>Why the fault could not be done (the run is then invalid); null when it was.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Error { get; init; }

    /// <summary>A command fault's last lines of output and its exit code.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Output { get; init; }

    /// <summary>This fault's own phases: the seconds that overlap it, and those after it until the next fault starts.</summary>
    public IReadOnlyList<PhaseResult> Phases { get; init; } = [];

    /// <summary>The actual window as every report prints it: "10.012 s – 12.015 s", "not ended", "not started".</summary>
    public string DescribeWindow() => StartSeconds is { } start
        ? $"{Figures.Number(start)} s – {(EndSeconds is { } end ? Figures.Number(end) + " s" : "not ended")}"
        : "not started";

    /// <summary>The time to recover as every report prints it; empty for a fault that never ended.</summary>
    public string DescribeRecovery() => RecoverySeconds is { } recovery ? $"{Figures.Number(recovery)} s" : EndSeconds is null ? "" : "not within the run";
}

/// <summary>The seconds of the measured window in one phase (before, during, after the faults) and what was measured in them.</summary>
public sealed record PhaseResult(string Phase, double Seconds, IReadOnlyList<OperationResult> Operations, OperationResult Total);
