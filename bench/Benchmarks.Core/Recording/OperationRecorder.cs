using Benchmarks.Core.Stores;
using HdrHistogram;

namespace Benchmarks.Core.Recording;

/// <summary>
/// The latencies and errors of one operation of the mix. Writers (any thread) record into
/// <see cref="Recorder"/>s; the single snapshot thread moves each interval into the running totals,
/// so memory is the same after a minute or a day.
/// </summary>
public sealed class OperationRecorder
{
    private readonly Recorder _corrected = Histograms.CreateRecorder();
    private readonly Recorder _uncorrected = Histograms.CreateRecorder();
    private readonly Recorder _generatorFree = Histograms.CreateRecorder();
    private readonly long[] _errors = new long[ErrorKinds.All.Length];
    private readonly long[] _errorsAtLastSnapshot = new long[ErrorKinds.All.Length];
    private readonly string?[] _firstMessages = new string?[ErrorKinds.All.Length];
    private HistogramBase? _correctedInterval;
    private HistogramBase? _uncorrectedInterval;
    private HistogramBase? _generatorFreeInterval;

    public OperationRecorder(string name, IReadOnlyList<StoreMetric>? metrics = null)
    {
        Name = name;
        Metrics = [.. (metrics ?? []).Select(m => new StoreMetricRecorder(m))];
    }

    public string Name { get; }

    /// <summary>What it runs: the store's operation (or "flow"); the name by default.</summary>
    public string Operation { get => field ?? Name; init; }

    /// <summary>The flow this recorder is a step of; null for what the executor starts (an operation of the mix, or a flow).</summary>
    public string? PartOf { get; init; }

    /// <summary>The store's own metrics for this operation (request units, rows returned), as the driver declares them.</summary>
    public IReadOnlyList<StoreMetricRecorder> Metrics { get; }

    public void RecordMeasures(in OperationMeasures measures)
    {
        // An index loop: a foreach over the interface would allocate an enumerator per operation.
        for (var i = 0; i < Metrics.Count; i++)
        {
            Metrics[i].Record(measures[Metrics[i].Metric]);
        }
    }

    /// <summary>Sum of all intervals taken so far: latency from the intended start.</summary>
    public HistogramBase TotalCorrected { get; } = Histograms.Create();

    /// <summary>Sum of all intervals taken so far: latency from the actual start (service time).</summary>
    public HistogramBase TotalUncorrected { get; } = Histograms.Create();

    /// <summary>
    /// Sum of all intervals taken so far: latency from the intended start less the load generator's own
    /// lag in starting the operation. What the corrected latency would have been had the generator been
    /// on time; the verdict rule uses it to tell whether the generator could have changed a verdict.
    /// For a recorder that never sees a lag (<see cref="LagFree"/>) it is the corrected histogram itself.
    /// </summary>
    public HistogramBase TotalGeneratorFree => LagFree ? TotalCorrected : _totalGeneratorFree;

    private readonly HistogramBase _totalGeneratorFree = Histograms.Create();

    /// <summary>
    /// True for what the generator never starts late: a flow's later steps start when the step before ends, so
    /// their generator-free latency is their corrected latency, exactly; it is then not recorded a second time.
    /// </summary>
    public bool LagFree { get; init; }

    public long ErrorCount(ErrorKind kind) => Volatile.Read(ref _errors[(int)kind]);

    public long TotalErrors => _errors.Sum();

    /// <param name="generatorLagMicros">How late the generator started the operation (not the store's doing); 0 in a closed model.</param>
    public void RecordSuccess(long correctedMicros, long uncorrectedMicros, long generatorLagMicros = 0)
    {
        _corrected.RecordValue(Histograms.Clamp(correctedMicros));
        _uncorrected.RecordValue(Histograms.Clamp(uncorrectedMicros));
        if (!LagFree)
        {
            _generatorFree.RecordValue(Histograms.Clamp(Math.Max(1, correctedMicros - generatorLagMicros)));
        }
    }

    public void RecordError(ErrorKind kind) => Interlocked.Increment(ref _errors[(int)kind]);

    /// <summary>Counts an error and keeps the first message of its kind, so a report says why operations failed.</summary>
    public void RecordError(ErrorKind kind, Exception error)
    {
        if (Volatile.Read(ref _firstMessages[(int)kind]) is null)
        {
            var message = $"{error.GetType().Name}: {string.Join(' ', error.Message.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))}";
            Interlocked.CompareExchange(ref _firstMessages[(int)kind], message.Length > 300 ? message[..300] + "…" : message, null);
        }

        RecordError(kind);
    }

    /// <summary>The first message of each kind of error seen, by kind name.</summary>
    public IReadOnlyDictionary<string, string> FirstErrors =>
        ErrorKinds.All.Where(k => _firstMessages[(int)k] is not null).ToDictionary(ErrorKinds.Name, k => _firstMessages[(int)k]!);

    /// <summary>Takes the interval since the last call; called from one thread only.</summary>
    public IntervalSnapshot TakeInterval()
    {
        _correctedInterval = _corrected.GetIntervalHistogram(_correctedInterval);
        _uncorrectedInterval = _uncorrected.GetIntervalHistogram(_uncorrectedInterval);
        TotalCorrected.Add(_correctedInterval);
        TotalUncorrected.Add(_uncorrectedInterval);
        if (!LagFree)
        {
            _generatorFreeInterval = _generatorFree.GetIntervalHistogram(_generatorFreeInterval);
            _totalGeneratorFree.Add(_generatorFreeInterval);
        }

        long errors = 0;
        var byKind = new long[_errors.Length];
        for (var i = 0; i < _errors.Length; i++)
        {
            var now = Volatile.Read(ref _errors[i]);
            byKind[i] = now - _errorsAtLastSnapshot[i];
            errors += byKind[i];
            _errorsAtLastSnapshot[i] = now;
        }

        return new IntervalSnapshot(Name, _correctedInterval, _uncorrectedInterval, errors) { ErrorsByKind = byKind };
    }
}

/// <summary>One interval of one operation. The histograms are recycled at the next snapshot: read them before.</summary>
public sealed record IntervalSnapshot(string Operation, HistogramBase Corrected, HistogramBase Uncorrected, long Errors)
{
    /// <summary>The interval's errors by <see cref="ErrorKind"/> (indexed by its value).</summary>
    public IReadOnlyList<long> ErrorsByKind { get; init; } = [];
}
