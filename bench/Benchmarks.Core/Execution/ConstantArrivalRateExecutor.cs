using Benchmarks.Core.Scenarios;

namespace Benchmarks.Core.Execution;

/// <summary>Open model at a fixed rate: operation n is intended to start at n / rate.</summary>
public sealed class ConstantArrivalRateExecutor(LoadDefinition load) : IExecutor
{
    public bool CorrectsCoordinatedOmission => true;

    public Task<ExecutionStats> RunAsync(OperationRunner runner, RunClock clock, CancellationToken cancellationToken)
    {
        var schedule = new ConstantSchedule(load.RatePerSecond, load.Warmup.TotalSeconds, load.Duration.TotalSeconds);
        var dispatcher = new OpenModelDispatcher(schedule, load.MaxInFlight, load.MaxLag, load.DrainTimeout, load.OperationLimit);
        return dispatcher.RunAsync(runner, clock, load.RatePerSecond, cancellationToken);
    }
}
