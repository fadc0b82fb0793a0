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
    private readonly CancellationToken _abort;
    private readonly RecordingSession _session;
    private readonly Target _measured;
    private readonly Target _warmup;

    /// <param name="warmup">Where warm-up operations are recorded and thrown away: the warm-up runs the same code as the measured
    /// window, recording included, so that the JIT has compiled all of it before measurement starts. When not given, an unstarted
    /// <see cref="RecordingSession.ForWarmup"/> of <paramref name="session"/>, left to the collector (it holds no OS resource).</param>
    public OperationRunner(IStoreDriver driver, IReadOnlyList<IStoreOperation> operations, OperationMix mix, ulong seed,
        RecordingSession session, CancellationToken abort, RecordingSession? warmup = null)
    {
        _driver = driver;
        _operations = operations;
        _mix = mix;
        _seed = seed;
        _session = session;
        _abort = abort;
        _measured = new Target(session, operations);
        _warmup = new Target(warmup ?? session.ForWarmup(), operations);
    }

    /// <summary>The recorders one phase of the window (warm-up or measurement) records into.</summary>
    private sealed class Target
    {
        public Target(RecordingSession session, IReadOnlyList<IStoreOperation> operations)
        {
            Session = session;
            Recorders = [.. session.Recorders];
            // Operations that report store metrics are called through their measuring method, only when their recorder has metrics to fill.
            Measuring = [.. operations.Select((o, i) => Recorders[i].Metrics.Count > 0 ? o as IMeasuringOperation : null)];
            // A flow records its steps and itself through a FlowRun bound to these recorders.
            Flows = [.. operations.Select((o, i) => o is FlowOperation flow ? new FlowRun(flow.Flow, Recorders[i], Recorders) : null)];
        }

        public RecordingSession Session { get; }

        public OperationRecorder[] Recorders { get; }

        public IMeasuringOperation?[] Measuring { get; }

        public FlowRun?[] Flows { get; }
    }

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
    /// Warm-up operations (<paramref name="measured"/> false) are recorded apart and thrown away.
    /// <paramref name="readyTicks"/> is when the store let it start (the intended start, or later when it waited for a free
    /// in-flight slot): the time from there to now is the generator's own lag, recorded apart so that verdicts can tell it from the store's.
    /// </summary>
    public ValueTask RunAsync(long sequence, long? intendedTicks, bool measured, long readyTicks = 0)
    {
        var target = measured ? _measured : _warmup;
        var random = new OperationRandom(_seed, sequence);
        var index = _mix.Pick(ref random);
        var start = Timing.Now;
        var intended = intendedTicks ?? start;
        var lagMicros = 0L;
        if (intendedTicks is not null)
        {
            lagMicros = Math.Max(0, Timing.ToMicros(start - Math.Max(intended, readyTicks)));
            target.Session.RecordSchedulingLag(lagMicros);
        }

        if (target.Flows[index] is { } flow)
        {
            return flow.RunAsync(random, sequence, intended, start, lagMicros, _abort);
        }

        if (target.Measuring[index] is { } measuring)
        {
            return RunMeasuredAsync(measuring, random, sequence, target.Recorders[index], intended, start, lagMicros);
        }

        ValueTask pending;
        try
        {
            pending = _operations[index].ExecuteAsync(random, sequence, _abort);
        }
        catch (Exception e)
        {
            Fail(target.Recorders[index], e);
            return ValueTask.CompletedTask;
        }

        if (pending.IsCompletedSuccessfully)
        {
            pending.GetAwaiter().GetResult();
            Succeed(target.Recorders[index], intended, start, Timing.Now, lagMicros);
            return ValueTask.CompletedTask;
        }

        return AwaitAsync(pending, target.Recorders[index], intended, start, lagMicros);
    }

    /// <summary>The path of operations that report store metrics: the same timing, plus their measures.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask RunMeasuredAsync(IMeasuringOperation operation, OperationRandom random, long sequence, OperationRecorder recorder, long intended,
        long start, long lagMicros)
    {
        OperationMeasures measures;
        try
        {
            measures = await operation.ExecuteMeasuredAsync(random, sequence, _abort);
        }
        catch (Exception e)
        {
            Fail(recorder, e);
            return;
        }

        Succeed(recorder, intended, start, Timing.Now, lagMicros);
        recorder.RecordMeasures(measures);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask AwaitAsync(ValueTask pending, OperationRecorder recorder, long intendedTicks, long start, long lagMicros)
    {
        try
        {
            await pending;
        }
        catch (Exception e)
        {
            Fail(recorder, e);
            return;
        }

        Succeed(recorder, intendedTicks, start, Timing.Now, lagMicros);
    }

    private static void Succeed(OperationRecorder recorder, long intended, long start, long end, long lagMicros) =>
        recorder.RecordSuccess(Timing.ToMicros(end - intended), Timing.ToMicros(end - start), lagMicros);

    private void Fail(OperationRecorder recorder, Exception e)
    {
        if (e is OperationCanceledException && _abort.IsCancellationRequested)
        {
            return;
        }

        if (e is MeasuredOperationException { InnerException: { } inner } measuredFailure)
        {
            recorder.RecordMeasures(measuredFailure.Measures);
            e = inner;
        }

        recorder.RecordError(_driver.Classify(e), e);
    }
}
