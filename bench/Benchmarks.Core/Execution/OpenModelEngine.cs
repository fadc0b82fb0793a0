namespace Benchmarks.Core.Execution;

/// <summary>The engine of the arrival-rate executors: their schedule, walked by the <see cref="OpenModelDispatcher"/>.</summary>
internal sealed class OpenModelEngine(IArrivalSchedule schedule, double? targetRatePerSecond, int maxInFlight, TimeSpan maxLag, WindowBounds bounds) : IExecutor
{
    public bool CorrectsCoordinatedOmission => true;

    public Task<ExecutionStats> RunAsync(OperationRunner runner, RunClock clock, CancellationToken cancellationToken) =>
        new OpenModelDispatcher(schedule, maxInFlight, maxLag, bounds.DrainTimeout, bounds.OperationLimit)
            .RunAsync(runner, clock, targetRatePerSecond, cancellationToken);
}
