using Benchmarks.Core.Recording;
using Benchmarks.Core.Stores;
using Benchmarks.Core.Workload;

namespace Benchmarks.Core.Flows;

/// <summary>
/// One flow instance: its key, its random stream, and the timing of its steps. A step's intended start is
/// the flow's intended start for the first step, then the previous step's end plus any think time, so a
/// stall shows in the step that stalled (and in the flow), never in the steps after it. The harness rents
/// contexts from a pool: do not keep one after <see cref="Flow.RunAsync"/> returns.
/// </summary>
public sealed class FlowContext
{
    private OperationRandom _random;
    private OperationRecorder[] _steps = [];
    private FlowStore[] _stores = [];
    private long _nextIntended;
    private long _firstLagMicros;
    private bool _stepped;
    private OperationMeasures _measures;

    /// <summary>The key index this instance works on, drawn once from the scenario's distribution; every step of a YAML flow uses it.</summary>
    public long KeyIndex { get; private set; }

    /// <summary>The key's name (<c>data.keyPrefix</c> + index).</summary>
    public string Key => Workload.Key(KeyIndex);

    /// <summary>The instance's sequence number in the run.</summary>
    public long Sequence { get; private set; }

    /// <summary>This instance's own random stream (deterministic under the scenario's seed).</summary>
    public ref OperationRandom Random => ref _random;

    /// <summary>Cancelled when the run stops (its end after the drain, an abort rule, Ctrl-C).</summary>
    public CancellationToken CancellationToken { get; private set; }

    /// <summary>The scenario's workload: keys and values.</summary>
    public WorkloadContext Workload { get; private set; } = null!;

    internal OperationMeasures Measures => _measures;

    /// <summary>What the last lookup of this instance read (a YAML flow's write-back writes it); empty before one did.</summary>
    public ReadOnlyMemory<byte> Document { get; internal set; }

    internal void Begin(WorkloadContext workload, FlowStore[] stores, OperationRecorder[] steps, OperationRandom random, long sequence,
        long keyIndex, long intendedTicks, long lagMicros, CancellationToken cancellationToken)
    {
        Workload = workload;
        _stores = stores;
        _steps = steps;
        _random = random;
        Sequence = sequence;
        KeyIndex = keyIndex;
        _nextIntended = intendedTicks;
        _firstLagMicros = lagMicros;
        _stepped = false;
        _measures = OperationMeasures.None;
        Document = default;
        CancellationToken = cancellationToken;
    }

    /// <summary>Starts timing <paramref name="step"/>: call it just before the store call, then <see cref="EndStep"/> or <see cref="FailStep"/>.</summary>
    public StepTimer BeginStep(FlowStep step) => new(step, _nextIntended, Timing.Now);

    /// <summary>The step succeeded: records its latency from its intended start and from its actual start, and the store's measures.</summary>
    public void EndStep(in StepTimer timer, in OperationMeasures measures = default)
    {
        var end = Timing.Now;
        var recorder = _steps[timer.Step.Index];
        // The flow's start lag is the generator's doing for its first step only; later steps start when the one before ends.
        recorder.RecordSuccess(Timing.ToMicros(end - timer.Intended), Timing.ToMicros(end - timer.Start), _stepped ? 0 : _firstLagMicros);
        recorder.RecordMeasures(measures);

        _stepped = true;
        _nextIntended = end;
    }

    /// <summary>The step failed: records the error in the step, classified by its store, and returns the exception to throw (the flow counts it too).</summary>
    public StepFailedException FailStep(in StepTimer timer, Exception error)
    {
        _nextIntended = Timing.Now;
        _stepped = true;
        if (error is MeasuredOperationException { InnerException: { } inner } measured)
        {
            _steps[timer.Step.Index].RecordMeasures(measured.Measures);
            error = inner;
        }

        var kind = error is KeyNotFoundInStoreException ? ErrorKind.NotFound : _stores[timer.Step.Index].Classify(error);
        if (!(error is OperationCanceledException && CancellationToken.IsCancellationRequested))
        {
            _steps[timer.Step.Index].RecordError(kind, error);
        }

        return new StepFailedException(timer.Step.Name, kind, error);
    }

    /// <summary>Times one step around <paramref name="call"/>; a failure is recorded in the step and rethrown as a <see cref="StepFailedException"/>.</summary>
    public async ValueTask<T> StepAsync<T>(FlowStep step, Func<FlowContext, Task<T>> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var timer = BeginStep(step);
        T result;
        try
        {
            result = await call(this).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not StepFailedException)
        {
            throw FailStep(timer, e);
        }

        EndStep(timer);
        return result;
    }

    /// <inheritdoc cref="StepAsync{T}(FlowStep, Func{FlowContext, Task{T}})"/>
    public async ValueTask StepAsync(FlowStep step, Func<FlowContext, Task> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var timer = BeginStep(step);
        try
        {
            await call(this).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not StepFailedException)
        {
            throw FailStep(timer, e);
        }

        EndStep(timer);
    }

    /// <summary>
    /// Think time before the next step: its intended start moves <paramref name="think"/> past the last step's end, and
    /// this waits until then, so a late wake-up counts against the next step, as a user who waited would feel it.
    /// </summary>
    public async ValueTask ThinkAsync(TimeSpan think)
    {
        _nextIntended += Timing.FromTimeSpan(think);
        var wait = Timing.ToSeconds(_nextIntended - Timing.Now);
        if (wait > 0)
        {
            await Task.Delay(TimeSpan.FromSeconds(wait), CancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A lookup's outcome, for the flow's hit ratio (the last call of an instance counts).</summary>
    public void Hit(bool hit) => _measures = _measures.With(FlowMetrics.Hit, hit ? 1 : 0);

    /// <summary>Adds <paramref name="amount"/> to a declared counter for this instance.</summary>
    public void Count(FlowCounter counter, double amount = 1)
    {
        ArgumentNullException.ThrowIfNull(counter);
        var now = _measures[counter.Metric];
        _measures = _measures.With(counter.Metric, (double.IsNaN(now) ? 0 : now) + amount);
    }
}

/// <summary>A step being timed: its intended and actual start (Stopwatch ticks).</summary>
public readonly record struct StepTimer(FlowStep Step, long Intended, long Start);

/// <summary>A step of a flow failed: the flow failed with it, and both count the error under <see cref="Kind"/>.</summary>
public sealed class StepFailedException : Exception
{
    public StepFailedException() { }

    public StepFailedException(string message) : base(message) { }

    public StepFailedException(string message, Exception inner) : base(message, inner) { }

    public StepFailedException(string step, ErrorKind kind, Exception inner) : base($"step '{step}': {inner.Message}", inner)
    {
        Step = step;
        Kind = kind;
    }

    public string Step { get; } = "";

    public ErrorKind Kind { get; } = ErrorKind.Other;
}
