using System.Globalization;
using Benchmarks.Core.Flows;
using Benchmarks.Core.Recording;
using Benchmarks.Core.Results;
using Benchmarks.Core.Scenarios;
using Benchmarks.Core.Stores;
using Benchmarks.Core.Thresholds;
using HdrHistogram;

namespace Benchmarks.Core.Running;

/// <summary>
/// A run that never finished (killed, crashed, the machine lost) left its .hlog: every second it measured,
/// flushed as it went. This turns that log and the scenario into a result marked <c>incomplete</c>: counts,
/// latencies and per-second series exactly as logged; latency and throughput SLAs judged on them; and
/// nothing claimed that the log does not hold (errors, drops, the generator's health).
/// </summary>
public static class HlogRecovery
{
    public static RunOutcome Rebuild(string hlogPath, Scenario scenario, string outputDirectory)
    {
        var intervals = HlogReader.ReadIntervals(hlogPath);
        var untagged = intervals.Where(h => h.Tag is null).ToList();
        if (untagged.Count == 0)
        {
            throw new InvalidDataException($"{hlogPath} holds no measured second");
        }

        var first = untagged.Min(h => h.StartTimeStamp);
        var seconds = Math.Max(1e-9, (untagged.Max(h => h.EndTimeStamp) - first) / 1000.0);
        HistogramBase Sum(string? tag) => HlogReader.Sum(intervals, tag);

        IReadOnlyList<IntervalPoint> Points(string? tag) =>
            [.. intervals.Where(h => h.Tag == tag).Select(h => IntervalPoint.Of((h.StartTimeStamp - first) / 1000.0, (h.EndTimeStamp - h.StartTimeStamp) / 1000.0, h, 0))];

        var noErrors = ErrorKinds.All.ToDictionary(ErrorKinds.Name, _ => 0L);
        var parts = Parts(scenario);
        var histograms = parts.Select(p => new OperationHistograms(p.Name, Sum($"{p.Name}.corrected"), Sum($"{p.Name}.uncorrected")))
            .Append(new OperationHistograms("total", Sum(null), Sum("total.uncorrected"))).ToList();
        var results = histograms.Select((h, i) => ScenarioRunner.Operation(h.Name, i < parts.Count ? parts[i].Operation : "*",
            h.Corrected, h.Uncorrected, noErrors, seconds) with { PartOf = i < parts.Count ? parts[i].PartOf : null }).ToList();
        var total = results[^1];
        var executor = scenario.Load.Executor;
        var load = new LoadSummary(executor.Name, executor.TargetRatePerSecond, Math.Round(total.Count / seconds, 3), executor.MaxInFlight, executor.Concurrency,
            total.Count, total.Count, 0, 0, executor.TargetRatePerSecond is not null);

        // Only what the log holds can be judged: latencies and completed throughput.
        var judged = scenario.Sla.Where(t => t.Metric is SlaMetric.Percentile or SlaMetric.Max or SlaMetric.Throughput && t.Phase is null).ToList();
        var verdicts = SlaEvaluator.Evaluate(judged, histograms.ToDictionary(h => h.Name), results.ToDictionary(r => r.Name), load);
        var reasons = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"rebuilt from {Path.GetFileName(hlogPath)}: the run did not finish, and the log holds {untagged.Count} measured seconds ({total.Count:N0} operations)"),
            "errors, drops and the load generator's health are not in the .hlog and are not reported",
        };
        reasons.AddRange(scenario.Sla.Except(judged).Select(t => $"SLA '{t.Text}' not judged: the .hlog does not hold what it measures"));
        reasons.AddRange(verdicts.Where(v => v.Verdict == SlaOutcome.Fail).Select(v =>
            string.Create(CultureInfo.InvariantCulture, $"SLA '{v.Threshold}' not met in the logged seconds: measured {v.Measured:0.###} {v.Unit} against {v.Comparison} {v.Target:0.###} {v.Unit}")));

        var empty = LatencySummaries.From(Histograms.Create());
        var result = new RunResult
        {
            Scenario = ScenarioRunner.Describe(scenario, scenario.Store.RedactedTarget, []),
            Status = RunStatus.Incomplete,
            StatusReasons = reasons,
            StartTime = DateTimeOffset.FromUnixTimeMilliseconds(first),
            DurationSeconds = Math.Round(seconds, 6),
            WarmupSeconds = scenario.Load.Warmup.TotalSeconds,
            Environment = new EnvironmentInfo("unknown (rebuilt from the .hlog)", 0, "unknown", "unknown", "unknown", EnvironmentProbe.HarnessVersion, false,
                "unknown", "", null, null),
            Load = load,
            Operations = results[..^1],
            Total = total,
            Sla = verdicts,
            Generator = new GeneratorHealth(null, scenario.Load.Limits.MaxSchedulingLagP99.TotalMilliseconds, 0, 0, new Dictionary<string, int>(), 0, empty,
                scenario.Load.Limits.MaxThreadPoolDelay.TotalMilliseconds, 0, false, ["not recorded: the run did not finish, and the .hlog holds latencies only"]),
            Intervals = [.. parts.Select(p => new IntervalSeries(p.Name, Points($"{p.Name}.corrected"))), new IntervalSeries("total", Points(null))],
            Files = new OutputFiles(Path.GetFileName(hlogPath), OutputFileNames.HgrmFiles(parts.Select(p => p.Name).Append("total")), OutputFileNames.Summary),
        };
        return new RunOutcome(result, histograms, outputDirectory);
    }

    /// <summary>What a run of <paramref name="scenario"/> records, as its .hlog tags name them: the mix's operations (or flows), then each flow's steps.</summary>
    internal static List<(string Name, string Operation, string? PartOf)> Parts(Scenario scenario) =>
        [.. scenario.Workload.Mix.Select(m => (Name: m.Name, Operation: m.Operation, PartOf: (string?)null))
            .Concat(scenario.Workload.Mix.SelectMany(m => m.Settings is FlowDefinition flow
                ? flow.Steps.Select(s => (Name: FlowNames.Step(m.Name, s.Name), Operation: s.Store, PartOf: (string?)m.Name))
                : []))];
}
