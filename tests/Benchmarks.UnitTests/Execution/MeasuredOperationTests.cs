using Benchmarks.Core.Execution;
using Benchmarks.Core.Recording;
using Benchmarks.Core.Stores;
using Benchmarks.Core.Workload;

namespace Benchmarks.UnitTests.Execution;

/// <summary>The runner's path for operations that report store metrics, successful and failed (a charged 429).</summary>
public sealed class MeasuredOperationTests
{
    private static readonly StoreMetric[] Metrics = [new("ru", "RU", "charge", Decimals: 2), new("retry_after", "ms", "wait", Decimals: 1, Additive: false)];

    private sealed class Store : IStoreDriver, IMeasuringOperation
    {
        public Task<StoreInfo> ConnectAsync(CancellationToken cancellationToken) => Task.FromResult(new StoreInfo("t", "c", "1", null, null));

        public IStoreOperation CreateOperation(OperationDefinition operation, WorkloadContext workload) => this;

        public ErrorKind Classify(Exception error) => error is TimeoutException ? ErrorKind.Throttled : ErrorKind.Other;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        public async ValueTask ExecuteAsync(OperationRandom random, long sequence, CancellationToken cancellationToken) =>
            await ExecuteMeasuredAsync(random, sequence, cancellationToken);

        /// <summary>Even sequences succeed at 2.5 RU; odd ones are throttled, charged 0.5 RU and told to wait 120 ms.</summary>
        public async ValueTask<OperationMeasures> ExecuteMeasuredAsync(OperationRandom random, long sequence, CancellationToken cancellationToken)
        {
            await Task.Yield();
            return sequence % 2 == 0 ? new OperationMeasures(2.5) : throw new MeasuredOperationException(new TimeoutException("429"), new OperationMeasures(0.5, 120));
        }
    }

    [Fact]
    public async Task Measures_are_recorded_for_measured_operations_and_a_failure_keeps_its_charge_and_its_kind()
    {
        var store = new Store();
        using var session = new RecordingSession(["op"], null, SilentProgress.Instance, Timing.Now, Metrics);
        var runner = new OperationRunner(store, [store], new OperationMix([1]), 1, session, CancellationToken.None);

        for (var i = 0; i < 10; i++)
        {
            await runner.RunAsync(i, null, measured: true);
        }

        // Warm-up operations run but are not recorded.
        await runner.RunAsync(10, null, measured: false);
        await runner.RunAsync(11, null, measured: false);

        var recorder = session.Recorders[0];
        Assert.Equal(5, recorder.ErrorCount(ErrorKind.Throttled));
        Assert.Contains("429", recorder.FirstErrors["throttled"], StringComparison.Ordinal);
        var ru = recorder.Metrics[0];
        Assert.Equal(10, ru.Count);
        Assert.Equal((5 * 2.5) + (5 * 0.5), ru.Sum, 9);
        Assert.Equal(2.5, ru.ValueAtPercentile(99), 2);
        var retryAfter = recorder.Metrics[1];
        Assert.Equal(5, retryAfter.Count);
        Assert.Equal(120, retryAfter.ValueAtPercentile(50), 0);
    }
}
