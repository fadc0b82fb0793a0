using Benchmarks.Core.Faults;
using Benchmarks.Core.Recording;
using Benchmarks.Core.Results;
using Benchmarks.Core.Scenarios;
using Benchmarks.Core.Stores;
using Benchmarks.Core.Thresholds;
using HdrHistogram;

namespace Benchmarks.Core.Running;

/// <summary>What a window with scripted faults adds to its result: the faults as they happened with their recovery, and the phases.</summary>
internal sealed class FaultRun(FaultInjector injector, PhaseRecorder phases, double measureOffsetSeconds)
{
    private IReadOnlyList<(PhaseResult Result, IReadOnlyDictionary<string, OperationHistograms> Data)>? _phases;

    /// <summary>Each phase's result (operations, steps, the total) and histograms, as the SLA evaluator reads them.</summary>
    public IReadOnlyList<(PhaseResult Result, IReadOnlyDictionary<string, OperationHistograms> Data)> Phases() => _phases ??= [.. phases.Take().Select(Build)];

    private static (PhaseResult Result, IReadOnlyDictionary<string, OperationHistograms> Data) Build((string Phase, double Seconds, IReadOnlyList<PhaseData> Operations) p)
    {
        var operations = p.Operations.Select(o => ScenarioRunner.Operation(o.Name, o.Operation, o.Corrected, o.Uncorrected, Errors(o.Errors), p.Seconds) with { PartOf = o.PartOf }).ToList();
        // The total is the top level's, as for the whole window: a step's time is inside its flow's.
        var top = p.Operations.Where(o => o.PartOf is null).ToList();
        var corrected = Sum(top.Select(o => o.Corrected));
        var uncorrected = Sum(top.Select(o => o.Uncorrected));
        var errors = Errors([.. ErrorKinds.All.Select(k => top.Sum(o => o.Errors[(int)k]))]);
        var total = ScenarioRunner.Operation("total", "*", corrected, uncorrected, errors, p.Seconds);
        var data = p.Operations.ToDictionary(o => o.Name, o => new OperationHistograms(o.Name, o.Corrected, o.Uncorrected));
        data["total"] = new OperationHistograms("total", corrected, uncorrected);
        return (new PhaseResult(p.Phase, Math.Round(p.Seconds, 3), operations, total), data);
    }

    /// <summary>The faults as they happened, each with its time to recover by the scenario's own latency SLA on the total.</summary>
    public IReadOnlyList<FaultResult> Faults(Scenario scenario, RecordingSession session, IReadOnlyDictionary<string, OperationResult> results)
    {
        var sla = scenario.Sla.FirstOrDefault(t => t.Metric is SlaMetric.Percentile or SlaMetric.Max && t.Operation is null && t.Phase is null);
        var before = Phases().FirstOrDefault(p => p.Result.Phase == Results.Phases.Before).Result?.Total.Latency.Corrected.P99;
        var recovery = Recovery.For(sla is null ? null : sla.Metric == SlaMetric.Max ? 100 : sla.Percentile, sla?.Target, before);
        var total = session.Series.Single(s => s.Operation == "total").Points;
        return [.. injector.Results.Select((f, i) => (f.EndSeconds is { } end && recovery is not null
            ? f with { RecoverySeconds = recovery.After(total, measureOffsetSeconds, end), RecoveryCriterion = recovery.Criterion }
            : f) with { Phases = [.. phases.TakeFault(i).Select(p => Build(p).Result)] })];
    }

    private static Dictionary<string, long> Errors(long[] byKind) => ErrorKinds.All.ToDictionary(ErrorKinds.Name, k => byKind[(int)k]);

    private static HistogramBase Sum(IEnumerable<HistogramBase> histograms)
    {
        var sum = Histograms.Create();
        foreach (var h in histograms)
        {
            sum.Add(h);
        }

        return sum;
    }
}
