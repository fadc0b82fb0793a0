using Benchmarks.Core.Scenarios;

namespace Benchmarks.Core.Execution;

/// <summary>The engine of the arrival-rate executors: their schedule, walked by the <see cref="OpenModelDispatcher"/>.</summary>
internal sealed class OpenModelEngine(IArrivalSchedule schedule, int maxInFlight, TimeSpan maxLag, LoadDefinition load) : IExecutor
{
    public bool CorrectsCoordinatedOmission => true;

    public Task<ExecutionStats> RunAsync(OperationRunner runner, RunClock clock, CancellationToken cancellationToken) =>
        new OpenModelDispatcher(schedule, maxInFlight, maxLag, load.DrainTimeout, load.OperationLimit)
            .RunAsync(runner, clock, load.Executor.TargetRatePerSecond, cancellationToken);
}
