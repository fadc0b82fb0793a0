namespace Benchmarks.Core.Execution;

/// <summary>Decides when operations start. One implementation per executor kind, each in its own file.</summary>
public interface IExecutor
{
    /// <summary>Whether latency is measured from a schedule's intended start (open model).</summary>
    bool CorrectsCoordinatedOmission { get; }

    /// <summary>Runs warm-up then measurement from <paramref name="clock"/>'s start; returns when the last operation finished or the drain timed out.</summary>
    Task<ExecutionStats> RunAsync(OperationRunner runner, RunClock clock, CancellationToken cancellationToken);
}

/// <summary>What bounds one measured window besides its executor: warm-up, an operation count that ends it early, and how long in-flight operations may take to finish.</summary>
public sealed record WindowBounds(TimeSpan Warmup, long? OperationLimit, TimeSpan DrainTimeout);

/// <summary>The timeline of a run in Stopwatch ticks: start, end of warm-up, planned end.</summary>
public sealed record RunClock(long StartTicks, long MeasureStartTicks, long PlannedEndTicks);

/// <summary>What an executor observed (the generator's own lag is recorded by the runner, per operation).</summary>
public sealed record ExecutionStats(
    long Scheduled,
    long Dropped,
    long Unfinished,
    long MeasureEndTicks,
    double? TargetRatePerSecond);
