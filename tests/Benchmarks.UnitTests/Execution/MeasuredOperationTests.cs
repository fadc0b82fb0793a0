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
            // Set in the reverse of the declared order: measures are matched by metric, not by position.
            return sequence % 2 == 0
                ? OperationMeasures.None.With(Metrics[0], 2.5)
                : throw new MeasuredOperationException(new TimeoutException("429"), OperationMeasures.None.With(Metrics[1], 120).With(Metrics[0], 0.5));
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

    [Fact]
    public void Measures_are_read_by_metric_and_an_operation_reports_at_most_four()
    {
        var measures = OperationMeasures.None.With(Metrics[1], 120).With(Metrics[0], 2.5).With(Metrics[1], 80);
        Assert.Equal(2.5, measures[Metrics[0]]);
        Assert.Equal(80, measures[Metrics[1]]);
        // A declaration of the same name reads the same value; an unset metric reads NaN.
        Assert.Equal(2.5, measures[new StoreMetric("ru", "RU", "another declaration")]);
        Assert.True(double.IsNaN(measures[new StoreMetric("rows", "rows", "not measured")]));

        var full = OperationMeasures.None;
        for (var i = 0; i < OperationMeasures.Capacity; i++)
        {
            full = full.With(new StoreMetric($"m{i}", "x", "x"), i);
        }

        Assert.Throws<InvalidOperationException>(() => full.With(new StoreMetric("one-more", "x", "x"), 1));
    }
}
