namespace Benchmarks.UnitTests.Execution;

[Collection(nameof(TimingSensitive))]
public sealed class RampingArrivalRateExecutorTests : ExecutorTestBase
{
    [Fact]
    public async Task Ramping_runs_the_integral_of_its_stages()
    {
        var outcome = await Run("{ executor: ramping-arrival-rate, startRate: 0, stages: [ { target: 2000/s, duration: 1s }, { target: 2000/s, duration: 500ms } ] }");
        Assert.InRange(outcome.Result.Total.Count, 1999, 2001);
        Assert.Equal(1333.333, outcome.Result.Load.TargetRatePerSecond!.Value, 2);
    }
}
