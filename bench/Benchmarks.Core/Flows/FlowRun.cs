using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Benchmarks.Core.Recording;
using Benchmarks.Core.Stores;
using Benchmarks.Core.Workload;

namespace Benchmarks.Core.Flows;

/// <summary>
/// A flow bound to one phase's recorders (a window's warm-up or its measurement): runs an instance, records its steps (through the
/// context) and its end-to-end time from the flow's intended start, its hit and counters, and its error,
/// classified as the failing step's store classified it. Contexts are pooled: an instance allocates nothing of its own.
/// </summary>
public sealed class FlowRun
{
    private readonly BoundFlow _flow;
    private readonly OperationRecorder _recorder;
    private readonly OperationRecorder[] _steps;
    private readonly ConcurrentBag<FlowContext> _contexts = [];

    public FlowRun(BoundFlow flow, OperationRecorder recorder, IReadOnlyList<OperationRecorder> recorders)
    {
        _flow = flow;
        _recorder = recorder;
        _steps = [.. flow.Flow.Steps.Select(s => recorders.Single(r => r.Name == FlowNames.Step(flow.Flow.Name, s.Name)))];
    }

    /// <summary>Runs instance <paramref name="sequence"/> (see <c>OperationRunner.RunAsync</c> for the times) and records it. Never throws.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask RunAsync(OperationRandom random, long sequence, long intendedTicks, long startTicks, long lagMicros,
        CancellationToken cancellationToken)
    {
        if (!_contexts.TryTake(out var context))
        {
            context = new FlowContext();
        }

        var key = _flow.Workload.Distribution.Next(ref random, sequence);
        context.Begin(_flow.Workload, _flow.Stores, _steps, random, sequence, key, intendedTicks, lagMicros, cancellationToken);
        try
        {
            await _flow.Flow.RunAsync(context);
            var end = Timing.Now;
            _recorder.RecordSuccess(Timing.ToMicros(end - intendedTicks), Timing.ToMicros(end - startTicks), lagMicros);
            _recorder.RecordMeasures(context.Measures);
        }
        catch (Exception e)
        {
            if (!(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
            {
                _recorder.RecordMeasures(context.Measures);
                if (e is StepFailedException { InnerException: { } inner } failed)
                {
                    _recorder.RecordError(failed.Kind, inner);
                }
                else
                {
                    _recorder.RecordError(ErrorKind.Other, e);
                }
            }
        }
        finally
        {
            _contexts.Add(context);
        }
    }
}

/// <summary>A flow with what it runs against: the workload, and the store of each of its steps (by step index).</summary>
public sealed record BoundFlow(Flow Flow, WorkloadContext Workload, FlowStore[] Stores);

/// <summary>The names of a flow's parts, made in one place: the recorder, the .hlog tag and the threshold prefix of a step.</summary>
public static class FlowNames
{
    public static string Step(string flow, string step) => $"{flow}.{step}";
}
