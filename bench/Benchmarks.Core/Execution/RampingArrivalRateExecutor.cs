using Benchmarks.Core.Scenarios;

namespace Benchmarks.Core.Execution;

/// <summary>Open model through stages of linearly changing rate; the target reported is the mean planned rate.</summary>
public sealed class RampingArrivalRateExecutor(LoadDefinition load) : IExecutor
{
    public bool CorrectsCoordinatedOmission => true;

    public Task<ExecutionStats> RunAsync(OperationRunner runner, RunClock clock, CancellationToken cancellationToken)
    {
        var stages = load.Stages.Select(s => (s.TargetPerSecond, s.Duration.TotalSeconds)).ToList();
        var schedule = new RampingSchedule(load.StartRatePerSecond, stages, load.Warmup.TotalSeconds);
        var dispatcher = new OpenModelDispatcher(schedule, load.MaxInFlight, load.MaxLag, load.DrainTimeout, load.OperationLimit);
        return dispatcher.RunAsync(runner, clock, MeanPlannedRate(load), cancellationToken);
    }

    public static double MeanPlannedRate(LoadDefinition load)
    {
        double count = 0, rate = load.StartRatePerSecond, seconds = 0;
        foreach (var stage in load.Stages)
        {
            count += (rate + stage.TargetPerSecond) / 2 * stage.Duration.TotalSeconds;
            seconds += stage.Duration.TotalSeconds;
            rate = stage.TargetPerSecond;
        }

        return seconds > 0 ? count / seconds : 0;
    }
}
