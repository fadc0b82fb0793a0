using System.Runtime.CompilerServices;
using Benchmarks.Core.Flows;
using Benchmarks.Core.Recording;
using Benchmarks.Core.Stores;
using Benchmarks.Core.Workload;

namespace Benchmarks.Core.Execution;

/// <summary>
/// Runs one operation for an executor: picks it from the mix, times it, classifies a failure and
/// records. Executors only decide when; this decides what and writes down how long.
/// </summary>
public sealed class OperationRunner
{
    private readonly IStoreDriver _driver;
    private readonly IReadOnlyList<IStoreOperation> _operations;
    private readonly OperationMix _mix;
    private readonly ulong _seed;
    private readonly OperationRecorder[] _recorders;
    private readonly CancellationToken _abort;

    private readonly RecordingSession _session;

    public OperationRunner(IStoreDriver driver, IReadOnlyList<IStoreOperation> operations, OperationMix mix, ulong seed,
        RecordingSession session, CancellationToken abort)
    {
        _driver = driver;
        _operations = operations;
        _mix = mix;
        _seed = seed;
        _session = session;
        _recorders = [.. session.Recorders];
        _abort = abort;
        // Operations that report store metrics are called through their measuring method, only when their recorder has metrics to fill.
        _measuring = [.. operations.Select((o, i) => _recorders[i].Metrics.Count > 0 ? o as IMeasuringOperation : null)];
        // A flow records its steps and itself through a FlowRun bound to this window's recorders.
        _flows = [.. operations.Select((o, i) => o is FlowOperation flow ? new FlowRun(flow.Flow, _recorders[i], _recorders) : null)];
    }

    private readonly IMeasuringOperation?[] _measuring;

    private readonly FlowRun?[] _flows;

    /// <summary>An operation of the measured window that the executor did not start (it waited past maxLag).</summary>
    /// <param name="byGenerator">The generator itself was late, rather than waiting for a free in-flight slot (the store's doing).</param>
    public void RecordDropped(bool byGenerator) => _session.RecordDropped(byGenerator);

    /// <summary>Whether an open-model dispatcher may start this store's calls on its own thread (see <see cref="IStoreDriver.StartsInline"/>).</summary>
    public bool StartsInline => _driver.StartsInline;

    /// <summary>The store client's reply loop, which an open-model dispatcher that starts inline reads while it waits (see <see cref="IStoreDriver.ReplyLoop"/>).</summary>
    public IReplyLoop? ReplyLoop => _driver.ReplyLoop;

    /// <summary>
    /// Starts operation <paramref name="sequence"/>, whose schedule said it should start at
    /// <paramref name="intendedTicks"/> (null in a closed model: no schedule, latency from the actual start). Never throws.
    /// Warm-up operations (<paramref name="measured"/> false) run but are not recorded.
    /// <paramref name="readyTicks"/> is when the store let it start (the intended start, or later when it waited for a free
    /// in-flight slot): the time from there to now is the generator's own lag, recorded apart so that verdicts can tell it from the store's.
    /// </summary>
    public ValueTask RunAsync(long sequence, long? intendedTicks, bool measured, long readyTicks = 0)
    {
        var random = new OperationRandom(_seed, sequence);
        var index = _mix.Pick(ref random);
        var start = Timing.Now;
        var intended = intendedTicks ?? start;
        var lagMicros = 0L;
        if (intendedTicks is not null && measured)
        {
            lagMicros = Math.Max(0, Timing.ToMicros(start - Math.Max(intended, readyTicks)));
            _session.RecordSchedulingLag(lagMicros);
        }

        if (_flows[index] is { } flow)
        {
            return flow.RunAsync(random, sequence, intended, start, lagMicros, measured, _abort);
        }

        if (_measuring[index] is { } measuring)
        {
            return RunMeasuredAsync(measuring, random, sequence, index, intended, start, lagMicros, measured);
        }

        ValueTask pending;
        try
        {
            pending = _operations[index].ExecuteAsync(random, sequence, _abort);
        }
        catch (Exception e)
        {
            Fail(index, e, measured);
            return ValueTask.CompletedTask;
        }

        if (pending.IsCompletedSuccessfully)
        {
            pending.GetAwaiter().GetResult();
            if (measured)
            {
                Succeed(index, intended, start, Timing.Now, lagMicros);
            }

            return ValueTask.CompletedTask;
        }

        return AwaitAsync(pending, index, intended, start, lagMicros, measured);
    }

    /// <summary>The path of operations that report store metrics: the same timing, plus their measures.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask RunMeasuredAsync(IMeasuringOperation operation, OperationRandom random, long sequence, int index, long intended, long start,
        long lagMicros, bool measured)
    {
        OperationMeasures measures;
        try
        {
            measures = await operation.ExecuteMeasuredAsync(random, sequence, _abort);
        }
        catch (Exception e)
        {
            Fail(index, e, measured);
            return;
        }

        if (measured)
        {
            Succeed(index, intended, start, Timing.Now, lagMicros);
            _recorders[index].RecordMeasures(measures);
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask AwaitAsync(ValueTask pending, int index, long intendedTicks, long start, long lagMicros, bool measured)
    {
        try
        {
            await pending;
        }
        catch (Exception e)
        {
            Fail(index, e, measured);
            return;
        }

        if (measured)
        {
            Succeed(index, intendedTicks, start, Timing.Now, lagMicros);
        }
    }

    private void Succeed(int index, long intended, long start, long end, long lagMicros) =>
        _recorders[index].RecordSuccess(Timing.ToMicros(end - intended), Timing.ToMicros(end - start), lagMicros);

    private void Fail(int index, Exception e, bool measured)
    {
        if (!measured || (e is OperationCanceledException && _abort.IsCancellationRequested))
        {
            return;
        }

        if (e is MeasuredOperationException { InnerException: { } inner } measuredFailure)
        {
            _recorders[index].RecordMeasures(measuredFailure.Measures);
            e = inner;
        }

        _recorders[index].RecordError(_driver.Classify(e), e);
    }
}
