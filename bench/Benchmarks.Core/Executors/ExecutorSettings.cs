using System.Globalization;
using Benchmarks.Core.Capacity;
using Benchmarks.Core.Execution;
using Benchmarks.Core.Parsing;
using Benchmarks.Core.Recording;
using Benchmarks.Core.Results;

namespace Benchmarks.Core.Executors;

/// <summary>
/// What <c>load:</c> says for one executor kind, parsed and validated by that kind (<see cref="IExecutorKind"/>):
/// when operations start, for how long, and how the measured windows are run. Each executor kind lives in
/// one file with its settings, their validation, its name and its engine; <see cref="ExecutorCatalog"/> lists them.
/// </summary>
public abstract record ExecutorSettings
{
    /// <summary>The executor's name in scenario files and results.</summary>
    public abstract string Name { get; }

    /// <summary>The rate the schedule intends (its mean for ramps); null in a closed model, which has no schedule.</summary>
    public abstract double? TargetRatePerSecond { get; }

    /// <summary>The measured window's planned length; zero when only an operation count ends it.</summary>
    public abstract TimeSpan MeasuredDuration { get; }

    /// <summary>The open model's bound on operations in flight; null in a closed model.</summary>
    public virtual int? MaxInFlight => null;

    /// <summary>The closed model's number of workers; null in an open model.</summary>
    public virtual int? Concurrency => null;

    /// <summary>
    /// Which agent's share of the load these settings start (<see cref="AgentSlice.Whole"/>: one process runs it all).
    /// An agent's target rate, in-flight bound and workers are its share; its schedule is its slice of the whole one.
    /// </summary>
    public AgentSlice Agent { get; init; } = AgentSlice.Whole;

    /// <summary>" (agent i/N)" for an agent's share, empty for a whole run: what <see cref="Describe"/> appends.</summary>
    protected string AgentSuffix => Agent.IsWhole ? "" : $" (agent {Agent} of the whole)";

    /// <summary>The executor's shape in a few words, as <c>bench validate</c> and the run's first line print it.</summary>
    public abstract string Describe();

    /// <summary>The engine that starts operations for one measured window.</summary>
    public abstract IExecutor CreateExecutor(WindowBounds bounds);

    /// <summary>
    /// Runs the scenario's measured windows: one for most executors (a capacity search runs one per step).
    /// A window whose verdict the generator's own lag and pauses could have decided (inconclusive) is measured
    /// again, up to <see cref="IWindowMeasurement.InconclusiveRemeasures"/> times: on a shared machine the generator's
    /// lag comes in bursts, and a conclusive verdict of either kind ends it. The last attempt is the result; the earlier
    /// ones stay in it (<see cref="RunResult.EarlierAttempts"/>) with their logs, so nothing measured is hidden.
    /// </summary>
    public virtual async Task<RunOutcome> RunAsync(IWindowMeasurement measurement, CancellationToken cancellationToken)
    {
        var hlog = $"{measurement.ScenarioName}.hlog";
        var outcome = await measurement.MeasureAsync(this, hlog, cancellationToken);
        var earlier = new List<WindowAttempt>();
        while (outcome.Result.Status == RunStatus.Inconclusive && earlier.Count < measurement.InconclusiveRemeasures
            && !cancellationToken.IsCancellationRequested)
        {
            earlier.Add(SetAside(outcome, earlier.Count + 1));
            measurement.Progress.Phase($"inconclusive: the load generator's lag and pauses could explain the miss; measuring again (attempt {earlier.Count + 1} of {measurement.InconclusiveRemeasures + 1})");
            outcome = await measurement.MeasureAsync(this, hlog, cancellationToken);
        }

        if (earlier.Count == 0)
        {
            return outcome;
        }

        var result = outcome.Result;
        var attempts = string.Join("; ", earlier.Select(a => string.Create(CultureInfo.InvariantCulture,
            $"attempt {a.Attempt} was inconclusive (p99 {Figures.Ms(a.P99Ms)} ms, {(a.SchedulingLagP99Ms is { } lag ? $"generator lag p99 {Figures.Ms(lag)} ms, " : "")}longest generator pause {Figures.Ms(a.LongestPauseMs)} ms; its log: {a.Hlog})")));
        var note = $"measured {earlier.Count + 1} times: {attempts}; this is attempt {earlier.Count + 1}";
        return outcome with { Result = result with { StatusReasons = [.. result.StatusReasons, note], EarlierAttempts = earlier } };
    }

    /// <summary>Keeps an inconclusive attempt's figures and moves its interval log aside, so that the next attempt writes its own.</summary>
    private static WindowAttempt SetAside(RunOutcome outcome, int attempt)
    {
        var r = outcome.Result;
        string? kept = null;
        if (r.Files.Hlog is { } hlog && File.Exists(Path.Combine(outcome.OutputDirectory, hlog)))
        {
            kept = OutputFileNames.EarlierAttemptHlog(hlog, attempt);
            File.Move(Path.Combine(outcome.OutputDirectory, hlog), Path.Combine(outcome.OutputDirectory, kept), overwrite: true);
        }

        return new WindowAttempt(attempt, r.Status, r.StatusReasons, r.Total.Latency.Corrected.P99, r.Generator.SchedulingLag?.P99,
            r.Generator.LongestPauseMs, r.Generator.Share, kept);
    }
}

/// <summary>
/// What an executor's plan of windows may ask of the scenario being run (the runner provides it): one
/// measured window (warm-up, measurement, its own .hlog) with given executor settings, judged by the
/// scenario's SLA, and what a plan reports alongside.
/// </summary>
public interface IWindowMeasurement
{
    /// <summary>The scenario's name, from which the windows' file names are made.</summary>
    string ScenarioName { get; }

    /// <summary>The warm-up that precedes each window.</summary>
    TimeSpan Warmup { get; }

    /// <summary>The store kind, for the sizing a capacity search reports (the seed's figure for the store).</summary>
    string StoreKind { get; }

    /// <summary>The scenario's sizing inputs, for a plan that finds a capacity.</summary>
    SizingInputs? Sizing { get; }

    IRunProgress Progress { get; }

    /// <summary>
    /// How many times a single window that came out inconclusive is measured again (<c>load.remeasureInconclusive</c>);
    /// 0 for an agent, whose window is judged only in the merge of all agents.
    /// </summary>
    int InconclusiveRemeasures { get; }

    Task<RunOutcome> MeasureAsync(ExecutorSettings executor, string hlogName, CancellationToken cancellationToken);
}

/// <summary>An executor kind: its name, the keys of <c>load:</c> it reads, and how it reads them.</summary>
public interface IExecutorKind
{
    string Name { get; }

    /// <summary>The keys of <c>load:</c> this executor reads, besides those every executor reads (<see cref="ExecutorCatalog.CommonKeys"/>).</summary>
    IReadOnlyList<string> Keys { get; }

    /// <summary>Why a key of another executor does not apply here, for the keys users put in the wrong place; null: "remove it".</summary>
    string? WhyNot(string key) => null;

    /// <summary>Reads and validates this executor's keys; problems go to the section's errors, all at once.</summary>
    ExecutorSettings Parse(ScenarioSection load, LoadCommon common);
}

/// <summary>What every executor's parsing may need of the keys all executors share.</summary>
public sealed record LoadCommon(TimeSpan Warmup, long? OperationLimit);

/// <summary>The open model's shared settings: at most <see cref="MaxInFlight"/> operations in flight; one that waited past <see cref="MaxLag"/> is dropped.</summary>
public sealed record OpenModelLimits(int MaxInFlight, TimeSpan MaxLag)
{
    public static readonly IReadOnlyList<string> Keys = ["maxInFlight", "maxLag"];

    public static OpenModelLimits Parse(ScenarioSection load) => new(
        (int)load.GetInteger("maxInFlight", 1024, min: 1, max: 1_000_000),
        load.GetDuration("maxLag", TimeSpan.FromSeconds(5), min: TimeSpan.FromMilliseconds(1)));

    /// <summary>An agent's share of the in-flight bound, so that N agents together hold the store to the bound the scenario sets (at least one each).</summary>
    public int Share(AgentSlice agent) => (int)Math.Max(1, agent.Share(MaxInFlight));
}
