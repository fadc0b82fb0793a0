namespace Benchmarks.UnitTests.Execution;

[Collection(nameof(TimingSensitive))]
public sealed class ConstantConcurrencyExecutorTests : ExecutorTestBase
{
    [Fact]
    public async Task Constant_concurrency_never_exceeds_its_workers_and_honours_an_operation_limit()
    {
        var fake = new FakeStore();
        var outcome = await Run("{ executor: constant-concurrency, concurrency: 4, operations: 5000 }", fake);
        Assert.Equal(5000, outcome.Result.Total.Count);
        Assert.Equal(5000, fake.Completed);
        Assert.InRange(fake.MaxInFlight, 1, 4);
        Assert.False(outcome.Result.Load.CoordinatedOmissionCorrected);
        Assert.Equal(outcome.Result.Total.Latency.Corrected, outcome.Result.Total.Latency.Uncorrected);
    }
}
