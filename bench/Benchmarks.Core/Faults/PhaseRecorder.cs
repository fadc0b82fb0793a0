using Benchmarks.Core.Recording;
using Benchmarks.Core.Results;
using Benchmarks.Core.Stores;
using HdrHistogram;

namespace Benchmarks.Core.Faults;

/// <summary>
/// Sums each second of a window with faults into its phase (before the first fault, during any, after), per
/// recorder: corrected and uncorrected histograms and errors by kind, so a phase's percentiles are exact, not
/// averaged from seconds; and each fault's own during and after (until the next fault). Fed by
/// <see cref="RecordingSession.IntervalSink"/>; memory is fixed: three phases and two per fault.
/// </summary>
public sealed class PhaseRecorder
{
    private readonly FaultInjector _faults;
    private readonly double _measureOffsetSeconds;
    private readonly Dictionary<string, Phase> _phases;
    private readonly Phase[] _during;
    private readonly Phase[] _after;

    /// <param name="measureOffsetSeconds">The measured window's start in the session's seconds (intervals are timed from the session's base).</param>
    public PhaseRecorder(IReadOnlyList<OperationRecorder> recorders, FaultInjector faults, double measureOffsetSeconds)
    {
        _faults = faults;
        _measureOffsetSeconds = measureOffsetSeconds;
        _phases = Phases.All.ToDictionary(p => p, _ => new Phase(recorders));
        _during = [.. Enumerable.Range(0, faults.Count).Select(_ => new Phase(recorders))];
        _after = [.. Enumerable.Range(0, faults.Count).Select(_ => new Phase(recorders))];
    }

    public void Observe(IntervalTaken interval)
    {
        var (startSeconds, lengthSeconds, snapshots) = (interval.StartSeconds, interval.LengthSeconds, interval.Operations);
        var from = startSeconds - _measureOffsetSeconds;
        Add(_phases[_faults.PhaseOf(from, from + lengthSeconds)], lengthSeconds, snapshots);
        var byFault = _faults.PhasesByFault(from, from + lengthSeconds);
        for (var f = 0; f < byFault.Length; f++)
        {
            if (byFault[f] is { } phase)
            {
                Add(phase == Phases.During ? _during[f] : _after[f], lengthSeconds, snapshots);
            }
        }
    }

    private static void Add(Phase phase, double lengthSeconds, IReadOnlyList<IntervalSnapshot> snapshots)
    {
        phase.Seconds += lengthSeconds;
        for (var i = 0; i < snapshots.Count; i++)
        {
            phase.Add(i, snapshots[i]);
        }
    }

    /// <summary>Fault <paramref name="fault"/>'s own phases: the seconds overlapping it, and those after it until the next fault.</summary>
    public IReadOnlyList<(string Phase, double Seconds, IReadOnlyList<PhaseData> Operations)> TakeFault(int fault) =>
        [.. new[] { (Phases.During, _during[fault]), (Phases.After, _after[fault]) }.Where(p => p.Item2.Seconds > 0).Select(p => (p.Item1, p.Item2.Seconds, p.Item2.Data))];

    /// <summary>Each phase that has measured seconds, with each recorder's data, by recorder name.</summary>
    public IReadOnlyList<(string Phase, double Seconds, IReadOnlyList<PhaseData> Operations)> Take() =>
        [.. Phases.All.Where(p => _phases[p].Seconds > 0).Select(p => (p, _phases[p].Seconds, _phases[p].Data))];

    private sealed class Phase(IReadOnlyList<OperationRecorder> recorders)
    {
        public double Seconds { get; set; }

        public IReadOnlyList<PhaseData> Data { get; } = [.. recorders.Select(r => new PhaseData(r.Name, r.Operation, r.PartOf))];

        public void Add(int index, IntervalSnapshot snapshot)
        {
            var data = Data[index];
            data.Corrected.Add(snapshot.Corrected);
            data.Uncorrected.Add(snapshot.Uncorrected);
            for (var k = 0; k < snapshot.ErrorsByKind.Count; k++)
            {
                data.Errors[k] += snapshot.ErrorsByKind[k];
            }
        }
    }
}

/// <summary>One recorder's data in one phase.</summary>
public sealed class PhaseData(string name, string operation, string? partOf)
{
    public string Name => name;

    public string Operation => operation;

    public string? PartOf => partOf;

    public HistogramBase Corrected { get; } = Histograms.Create();

    public HistogramBase Uncorrected { get; } = Histograms.Create();

    /// <summary>Errors by <see cref="ErrorKind"/>, indexed by its value.</summary>
    public long[] Errors { get; } = new long[ErrorKinds.All.Length];
}
