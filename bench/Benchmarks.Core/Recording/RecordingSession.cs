using Benchmarks.Core.Results;
using HdrHistogram;

namespace Benchmarks.Core.Recording;

/// <summary>
/// The recorders of one run and the thread that, once a second of the measured window, moves each
/// interval into the totals, appends it to the .hlog (flushed, so a killed run keeps its data) and
/// reports progress. Totals are the sum of the logged intervals, so the log and result.json agree.
/// </summary>
public sealed class RecordingSession : IDisposable
{
    /// <summary>
    /// How often the warm-up's intervals are taken: the code that takes a second of the measured window (the .hlog's encoder
    /// included) then runs often enough in the warm-up for the JIT to tier it up there, not in the measured window.
    /// </summary>
    private static readonly long WarmupIntervalTicks = Timing.FromTimeSpan(TimeSpan.FromMilliseconds(50));

    private readonly IReadOnlyList<RecorderPlan> _plan;
    private readonly long _intervalTicks = Timing.TicksPerSecond;
    private readonly HlogWriter? _ownedLog;
    private readonly HlogWriter? _log;
    private readonly IRunProgress _progress;
    private readonly long _baseTicks;
    private readonly HistogramBase _intervalTotal = Histograms.Create();
    private readonly HistogramBase _intervalTotalUncorrected = Histograms.Create();
    private readonly List<IntervalPoint>[] _points;
    private readonly List<IntervalPoint> _totalPoints = [];
    // No spinning before it blocks: each wait spun through sched_yield, CPU taken from the load on a 2-core machine.
    private readonly ManualResetEventSlim _stop = new(false, spinCount: 0);
    private Thread? _thread;
    private readonly Recorder _schedulingLag = Histograms.CreateRecorder();
    private readonly HistogramBase _schedulingLagTotal = Histograms.Create();
    private HistogramBase? _schedulingLagInterval;
    private long _dropped;
    private long _droppedByGenerator;
    private long _droppedAtLastInterval;
    private long _intervalStartTicks;
    private long _measureStartTicks;
    private double _plannedSeconds;
    private double? _targetRate;

    public RecordingSession(IReadOnlyList<string> operations, HlogWriter? log, IRunProgress progress, long baseTicks, IReadOnlyList<Stores.StoreMetric>? metrics = null)
        : this([.. operations.Select(o => new RecorderPlan(o, o, null, metrics ?? []))], log, progress, baseTicks)
    {
    }

    /// <param name="plan">One recorder per operation of the mix (or flow), in mix order, then the parts (a flow's steps), which stay out of the total.</param>
    public RecordingSession(IReadOnlyList<RecorderPlan> plan, HlogWriter? log, IRunProgress progress, long baseTicks)
    {
        _plan = plan;
        Recorders = [.. plan.Select(p => new OperationRecorder(p.Name, p.Metrics) { Operation = p.Operation, PartOf = p.PartOf, LagFree = p.LagFree })];
        TopLevel = [.. Recorders.Where(r => r.PartOf is null)];
        _points = [.. plan.Select(_ => new List<IntervalPoint>())];
        _log = log;
        _progress = progress;
        _baseTicks = baseTicks;
    }

    /// <summary>
    /// A session of the same recorders for the warm-up, which logs to nowhere and reports nothing: its operations are
    /// recorded and its intervals taken (every 50 ms) and thrown away, so that all of that code is compiled and tiered up
    /// before the measured window, not in it.
    /// </summary>
    public RecordingSession ForWarmup()
    {
        var log = new HlogWriter(Stream.Null, DateTimeOffset.UtcNow, "warm-up");
        return new RecordingSession(_plan, log, SilentProgress.Instance, _baseTicks, WarmupIntervalTicks);
    }

    private RecordingSession(IReadOnlyList<RecorderPlan> plan, HlogWriter ownedLog, IRunProgress progress, long baseTicks, long intervalTicks)
        : this(plan, ownedLog, progress, baseTicks)
    {
        _ownedLog = ownedLog;
        _intervalTicks = intervalTicks;
    }

    /// <summary>Every recorder: the mix's operations (or flows) first, in mix order, then the flows' steps.</summary>
    public IReadOnlyList<OperationRecorder> Recorders { get; }

    /// <summary>The recorders the total is made of: a flow's steps are inside its end-to-end time, so they are not added again.</summary>
    public IReadOnlyList<OperationRecorder> TopLevel { get; }

    /// <summary>
    /// Called on the snapshot thread after each full one-second interval with the seconds measured so far and
    /// a lookup of that interval's corrected histogram and errors by operation name (or "total"); the
    /// histograms are only valid during the call. The runner's abort rules watch the run through it.
    /// </summary>
    public Action<double, Func<string, (HistogramBase Corrected, long Errors)?>>? IntervalObserver { get; set; }

    /// <summary>
    /// Called on the snapshot thread with every interval taken, the last partial one included; its histograms are
    /// valid only during the call. The phases of a run with scripted faults are summed through it, and live export
    /// (Core/Live) is fed by it: several may listen (+=).
    /// </summary>
    public Action<IntervalTaken>? IntervalSink { get; set; }

    public HistogramBase TotalCorrected { get; } = Histograms.Create();

    public HistogramBase TotalUncorrected { get; } = Histograms.Create();

    /// <summary>A new histogram: the sum of the operations' generator-free histograms (see <see cref="OperationRecorder.TotalGeneratorFree"/>).</summary>
    public HistogramBase SumGeneratorFree()
    {
        var sum = Histograms.Create();
        foreach (var r in TopLevel)
        {
            sum.Add(r.TotalGeneratorFree);
        }

        return sum;
    }

    public long TotalErrors => TopLevel.Sum(r => r.TotalErrors);

    /// <summary>
    /// Counts a measured operation dropped by an open-model executor (it waited past maxLag).
    /// <paramref name="byGenerator"/>: the generator itself was that late, not waiting for a free in-flight slot.
    /// </summary>
    public void RecordDropped(bool byGenerator)
    {
        Interlocked.Increment(ref _dropped);
        if (byGenerator)
        {
            Interlocked.Increment(ref _droppedByGenerator);
        }
    }

    /// <summary>Measured operations the generator dropped because it was itself past maxLag: the intended load was not offered.</summary>
    public long DroppedByGenerator => Interlocked.Read(ref _droppedByGenerator);

    /// <summary>Records how late the generator started a measured open-model operation (µs; waits for a slot excluded).</summary>
    public void RecordSchedulingLag(long micros) => _schedulingLag.RecordValue(Histograms.Clamp(micros));

    /// <summary>The scheduling lag of the whole measured window (µs), the sum of the intervals taken; read after <see cref="Stop"/>. Null when nothing was scheduled (closed model).</summary>
    public HistogramBase? TakeSchedulingLag() => _schedulingLagTotal.TotalCount > 0 ? _schedulingLagTotal : null;

    public IReadOnlyList<IntervalSeries> Series =>
        [.. Recorders.Select((r, i) => new IntervalSeries(r.Name, _points[i])), new IntervalSeries("total", _totalPoints)];

    /// <summary>Starts interval snapshots at <paramref name="measureStartTicks"/>.</summary>
    public void Start(long measureStartTicks, double plannedSeconds, double? targetRate)
    {
        _intervalStartTicks = measureStartTicks;
        _measureStartTicks = measureStartTicks;
        _plannedSeconds = plannedSeconds;
        _targetRate = targetRate;
        _thread = new Thread(Loop) { IsBackground = true, Name = "bench-snapshots" };
        _thread.Start();
    }

    /// <summary>
    /// Stops the thread and takes the last (partial) interval, ending at <paramref name="endTicks"/> (the window's
    /// end as its executor saw it; now when not given), not whenever this thread got to run again: the .hlog then
    /// covers the measured window exactly, as the result's duration does, and a merge of agents' logs sums to it.
    /// </summary>
    public void Stop(long? endTicks = null)
    {
        _stop.Set();
        _thread?.Join();
        _thread = null;
        TakeInterval(Math.Max(endTicks ?? Timing.Now, _intervalStartTicks), observe: false);
        _log?.Flush();
    }

    private void Loop()
    {
        // Its work (every recorder's interval, the .hlog lines, the reports of the second) comes in one burst a second.
        Housekeeping.LowerCurrentThread();
        var next = _intervalStartTicks + _intervalTicks;
        while (true)
        {
            var wait = Timing.ToSeconds(next - Timing.Now);
            if (wait > 0 && _stop.Wait(TimeSpan.FromSeconds(wait)))
            {
                return;
            }

            if (_stop.IsSet)
            {
                return;
            }

            TakeInterval(next, observe: true);
            next += _intervalTicks;
        }
    }

    private void TakeInterval(long endTicks, bool observe)
    {
        var startSeconds = Timing.ToSeconds(_intervalStartTicks - _baseTicks);
        var length = Timing.ToSeconds(endTicks - _intervalStartTicks);
        var measuredSoFar = Timing.ToSeconds(endTicks - _measureStartTicks);
        _intervalTotal.Reset();
        _intervalTotalUncorrected.Reset();
        long errors = 0;
        var snapshots = observe && IntervalObserver is not null ? new (HistogramBase Corrected, long Errors)[Recorders.Count] : null;
        var taken = IntervalSink is not null ? new IntervalSnapshot[Recorders.Count] : null;
        for (var i = 0; i < Recorders.Count; i++)
        {
            var snapshot = Recorders[i].TakeInterval();
            if (taken is not null)
            {
                taken[i] = snapshot;
            }

            if (snapshots is not null)
            {
                snapshots[i] = (snapshot.Corrected, snapshot.Errors);
            }

            if (Recorders[i].PartOf is null)
            {
                _intervalTotal.Add(snapshot.Corrected);
                _intervalTotalUncorrected.Add(snapshot.Uncorrected);
                errors += snapshot.Errors;
            }

            _points[i].Add(Point(startSeconds, length, snapshot.Corrected, snapshot.Errors));
            _log?.Append($"{Recorders[i].Name}.corrected", startSeconds, length, snapshot.Corrected);
            _log?.Append($"{Recorders[i].Name}.uncorrected", startSeconds, length, snapshot.Uncorrected);
        }

        TotalCorrected.Add(_intervalTotal);
        TotalUncorrected.Add(_intervalTotalUncorrected);
        _schedulingLagInterval = _schedulingLag.GetIntervalHistogram(_schedulingLagInterval);
        _schedulingLagTotal.Add(_schedulingLagInterval);
        var dropped = Interlocked.Read(ref _dropped);
        var droppedInInterval = dropped - _droppedAtLastInterval;
        _totalPoints.Add(Point(startSeconds, length, _intervalTotal, errors) with { Dropped = droppedInInterval });
        _droppedAtLastInterval = dropped;
        _log?.Append(null, startSeconds, length, _intervalTotal);
        _log?.Append("total.uncorrected", startSeconds, length, _intervalTotalUncorrected);
        _log?.Flush();
        IntervalSink?.Invoke(new IntervalTaken(startSeconds, length, taken!, _schedulingLagInterval, droppedInInterval));
        _intervalStartTicks = endTicks;
        if (snapshots is not null)
        {
            var total = (_intervalTotal, errors);
            IntervalObserver!(measuredSoFar, name => name == "total" ? total
                : Recorders.Select((r, i) => (r.Name, i)).FirstOrDefault(x => x.Name == name) is { Name: not null } found ? snapshots[found.i] : null);
        }

        _progress.Interval(new ProgressSample(measuredSoFar, _plannedSeconds, length,
            length > 0 ? _intervalTotal.TotalCount / length : 0, _targetRate,
            _intervalTotal.TotalCount > 0 ? _intervalTotal.GetValueAtPercentile(99) / 1000.0 : 0,
            _intervalTotal.TotalCount > 0 ? _intervalTotal.GetMaxValue() / 1000.0 : 0,
            errors, _intervalTotal.TotalCount));
    }

    private static IntervalPoint Point(double start, double length, HistogramBase h, long errors) => IntervalPoint.Of(start, length, h, errors);

    public void Dispose()
    {
        // A run that failed before Stop leaves the thread waiting on the event: it is let go before the event is disposed.
        _stop.Set();
        _thread?.Join();
        _stop.Dispose();
        _ownedLog?.Dispose();
    }
}

/// <summary>
/// One interval as <see cref="RecordingSession.IntervalSink"/> hands it over: its start (seconds since the session's
/// base) and length, each recorder's snapshot (in <see cref="RecordingSession.Recorders"/> order), the generator's
/// scheduling lag of the interval (µs) and the operations it dropped in it. Histograms are valid only during the call.
/// </summary>
public sealed record IntervalTaken(double StartSeconds, double LengthSeconds, IReadOnlyList<IntervalSnapshot> Operations, HistogramBase SchedulingLag, long Dropped);

/// <summary>
/// One recorder of a session: its name (the .hlog tag, the result's operation), what it runs (the store's
/// operation, or "flow"), the flow it is a step of (null for what the executor starts), and the store metrics it keeps.
/// </summary>
public sealed record RecorderPlan(string Name, string Operation, string? PartOf, IReadOnlyList<Stores.StoreMetric> Metrics)
{
    /// <summary>Never started late by the generator (see <see cref="OperationRecorder.LagFree"/>).</summary>
    public bool LagFree { get; init; }
}
