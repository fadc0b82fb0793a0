using System.Globalization;
using Benchmarks.Core.Agents;
using Benchmarks.Core.Recording;
using Benchmarks.Core.Results;
using Benchmarks.Core.Scenarios;
using Benchmarks.Core.Stores;
using Benchmarks.Core.Thresholds;
using HdrHistogram;

namespace Benchmarks.Core.Running;

/// <summary>What the merge found of one agent: its folder, its manifest and its result (each null when it has none).</summary>
public sealed record AgentInput(int Index, string Folder, AgentManifest? Manifest, RunResult? Result);

/// <summary>
/// One run from the .hlogs of its agents. Histograms add exactly: each second of the merged run is the sum of the
/// agents' intervals that started in that second of the absolute timeline (each .hlog's own timestamps, so the
/// agents' clocks line them up), and the totals are the sum of those seconds, so the merged .hlog and result agree
/// as a single run's do. The scenario's SLAs are judged once, on the merged data, allowing for the generators' lag as a
/// single run does when every agent left its generator-free totals. The logs are read in step, one second at a time,
/// so memory does not grow with the number of agents' seconds.
/// </summary>
public static class AgentMerge
{
    /// <summary>Clocks further apart than this put one agent's second beside another's a noticeable part of a second later.</summary>
    private const double ClockSpreadWorthSayingMs = 100;

    /// <summary>An agent that measured this much less than the longest left a gap in the load.</summary>
    private const double ShortBySeconds = 1;

    /// <param name="hlogName">The window's .hlog in each agent's folder (by default the scenario's); the merged one is written under the same name, unless <paramref name="mergedHlogName"/> says another.</param>
    public static RunOutcome Merge(Scenario scenario, int agentCount, IReadOnlyList<AgentInput> found, string outputDirectory, string? hlogName = null, string? mergedHlogName = null)
    {
        hlogName ??= $"{scenario.Name}.hlog";
        Directory.CreateDirectory(outputDirectory);
        var parts = HlogRecovery.Parts(scenario);
        var tags = parts.SelectMany(p => new[] { $"{p.Name}.corrected", $"{p.Name}.uncorrected" }).Append(TotalTag).Append("total.uncorrected").ToList();
        var byIndex = found.ToDictionary(a => a.Index);
        var logs = new List<AgentLog>();
        try
        {
            foreach (var agent in found.OrderBy(a => a.Index))
            {
                var hlog = Path.Combine(agent.Folder, hlogName);
                if (File.Exists(hlog))
                {
                    logs.Add(new AgentLog(agent, hlog));
                }
            }

            if (logs.Count == 0)
            {
                throw new InvalidDataException($"no agent of {agentCount} left a measured second to merge");
            }

            return Merge(scenario, agentCount, byIndex, logs, parts, tags, outputDirectory, hlogName, mergedHlogName ?? hlogName);
        }
        finally
        {
            foreach (var log in logs)
            {
                log.Dispose();
            }
        }
    }

    private const string TotalTag = "";

    private static RunOutcome Merge(Scenario scenario, int agentCount, Dictionary<int, AgentInput> found, List<AgentLog> logs,
        List<(string Name, string Operation, string? PartOf)> parts, List<string> tags, string outputDirectory, string agentHlog, string hlogName)
    {
        var origin = logs.Where(l => l.HasCurrent).Select(l => l.CurrentStartMs).DefaultIfEmpty(0).Min();
        var interval = tags.ToDictionary(t => t, _ => Histograms.Create());
        var totals = tags.ToDictionary(t => t, _ => Histograms.Create());
        var points = tags.Where(t => !t.EndsWith(".uncorrected", StringComparison.Ordinal)).ToDictionary(t => t, _ => new List<IntervalPoint>());
        var seriesErrors = SeriesErrors(logs);
        var startTime = DateTimeOffset.FromUnixTimeMilliseconds(origin);
        double end = 0;
        using (var merged = new HlogWriter(File.Create(Path.Combine(outputDirectory, hlogName)), startTime,
            $"bench merge {scenario.Name}: {logs.Count} of {agentCount} agents; tags <op>.corrected / <op>.uncorrected; untagged = total corrected"))
        {
            while (logs.Any(l => l.HasCurrent))
            {
                var second = logs.Where(l => l.HasCurrent).Min(l => SecondOf(l.CurrentStartMs, origin));
                double length = 0;
                foreach (var log in logs.Where(l => l.HasCurrent && SecondOf(l.CurrentStartMs, origin) == second))
                {
                    length = Math.Max(length, log.TakeSecond(interval, second));
                }

                end = Math.Max(end, second + length);
                foreach (var tag in tags)
                {
                    var histogram = interval[tag];
                    merged.Append(tag == TotalTag ? null : tag, second, length, histogram);
                    totals[tag].Add(histogram);
                    if (points.TryGetValue(tag, out var series))
                    {
                        var name = tag == TotalTag ? "total" : tag[..^".corrected".Length];
                        var (errors, dropped) = seriesErrors.TryGetValue((name, second), out var e) ? e : (0, 0);
                        series.Add(IntervalPoint.Of(second, length, histogram, errors) with { Dropped = dropped });
                    }

                    histogram.Reset();
                }
            }

            merged.Flush();
        }

        var seconds = Math.Max(1e-9, end);
        var agents = Enumerable.Range(0, agentCount).Select(i => Describe(i, found.GetValueOrDefault(i), logs.FirstOrDefault(l => l.Input.Index == i))).ToList();
        var results = found.Values.Select(a => a.Result).OfType<RunResult>().ToList();

        var histograms = parts.Select(p => new OperationHistograms(p.Name, totals[$"{p.Name}.corrected"], totals[$"{p.Name}.uncorrected"]))
            .Append(new OperationHistograms("total", totals[TotalTag], totals["total.uncorrected"])).ToList();
        var operations = parts.Select((p, i) => ScenarioRunner.Operation(p.Name, p.Operation, histograms[i].Corrected, histograms[i].Uncorrected,
            ErrorsOf(results, p.Name), seconds) with { PartOf = p.PartOf }).ToList();
        var total = ScenarioRunner.Operation("total", "*", totals[TotalTag], totals["total.uncorrected"], ErrorsOf(results, "total"), seconds);
        var executor = scenario.Load.Executor;
        var completed = total.Count + total.Errors.Total;
        var load = new LoadSummary(executor.Name, executor.TargetRatePerSecond, Math.Round(completed / seconds, 3), executor.MaxInFlight, executor.Concurrency,
            results.Sum(r => r.Load.Scheduled), completed, results.Sum(r => r.Load.Dropped), results.Sum(r => r.Load.Unfinished), results.FirstOrDefault()?.Load.CoordinatedOmissionCorrected ?? true);

        // Store metrics (RU, rows, hits) stay in each agent's result: the .hlog holds latencies only.
        var judged = ScenarioRunner.Thresholds(scenario, load.CoordinatedOmissionCorrected)
            .Where(t => t.Metric is not (SlaMetric.StorePercentile or SlaMetric.StoreMax or SlaMetric.StoreRate or SlaMetric.HitRatio)).ToList();
        var byName = operations.Append(total).ToDictionary(o => o.Name);
        var allowance = Allowance(found.Values, agentCount, results, parts, AgentLayout.GeneratorFreeOf(agentHlog));
        var verdicts = SlaEvaluator.Evaluate(judged, histograms.ToDictionary(h => h.Name), byName, load, allowance);
        var generator = Generator(found.Values, scenario);

        var (status, reasons) = Status(agents, results, generator, completed, verdicts);
        reasons.AddRange(scenario.Sla.Where(t => !judged.Contains(t)).Select(t => $"SLA '{t.Text}' not judged: store metrics stay in each agent's result.json"));
        if (allowance is null && agents.Any(a => a.State != AgentResult.Missing))
        {
            reasons.Add("verdicts judged on the measured latencies alone: not every agent left its generator-free totals (a killed agent does not)");
        }

        var offsets = agents.Where(a => a.ClockOffsetMs is not null).Select(a => a.ClockOffsetMs!.Value).ToList();
        if (offsets.Count > 1 && offsets.Max() - offsets.Min() > ClockSpreadWorthSayingMs)
        {
            reasons.Add(string.Create(CultureInfo.InvariantCulture,
                $"the agents' clocks differ by up to {offsets.Max() - offsets.Min():0} ms: each second of the merged run holds agents' seconds that far apart in real time (sync the clocks: chrony, NTP)"));
        }

        var first = results.FirstOrDefault();
        var hosts = agents.Where(a => a.Host is not null).Select(a => a.Host!).Distinct().ToList();
        var result = new RunResult
        {
            Scenario = ScenarioRunner.Describe(scenario, first?.Scenario.Target ?? scenario.Store.RedactedTarget, first?.Scenario.Overrides ?? []),
            Status = status,
            StatusReasons = reasons,
            StartTime = startTime,
            DurationSeconds = Math.Round(seconds, 6),
            WarmupSeconds = scenario.Load.Warmup.TotalSeconds,
            Environment = (first?.Environment ?? new EnvironmentInfo("unknown", 0, "unknown", "unknown", "unknown", EnvironmentProbe.HarnessVersion, false, "unknown", "", null, null)) with
            {
                Machine = $"{agentCount} agents on {string.Join(", ", hosts)}",
                Cores = results.Sum(r => r.Environment.Cores),
            },
            Load = load,
            Operations = operations,
            Total = total,
            Sla = verdicts,
            Generator = generator,
            Intervals = [.. parts.Select(p => new IntervalSeries(p.Name, points[$"{p.Name}.corrected"])), new IntervalSeries("total", points[TotalTag])],
            Files = new OutputFiles(hlogName, OutputFileNames.HgrmFiles(parts.Select(p => p.Name).Append("total")), OutputFileNames.Summary),
            Agents = agents,
        };
        return new RunOutcome(result, histograms, outputDirectory);
    }

    private static long SecondOf(long startMs, long origin) => (long)Math.Round((startMs - origin) / 1000.0);

    /// <summary>Errors and drops of each second by operation, from the agents' results (a killed agent's are not known).</summary>
    private static Dictionary<(string Name, long Second), (long Errors, long Dropped)> SeriesErrors(List<AgentLog> logs)
    {
        var errors = new Dictionary<(string, long), (long, long)>();
        foreach (var log in logs)
        {
            foreach (var series in log.Input.Result?.Intervals ?? [])
            {
                for (var i = 0; i < series.Points.Count; i++)
                {
                    var key = (series.Operation, log.FirstSecond + i);
                    var (e, d) = errors.GetValueOrDefault(key);
                    errors[key] = (e + series.Points[i].Errors, d + series.Points[i].Dropped);
                }
            }
        }

        return errors;
    }

    private static Dictionary<string, long> ErrorsOf(List<RunResult> results, string name) =>
        ErrorKinds.All.ToDictionary(ErrorKinds.Name, kind => results.Sum(r =>
            (r.Operations.FirstOrDefault(o => o.Name == name) ?? (name == "total" ? r.Total : null))?.Errors.ByKind.GetValueOrDefault(ErrorKinds.Name(kind)) ?? 0));

    /// <summary>The generators' share, summed over the agents as one generator's would be; null unless every agent finished and left its totals.</summary>
    private static GeneratorAllowance? Allowance(IEnumerable<AgentInput> found, int agentCount, List<RunResult> results, List<(string Name, string Operation, string? PartOf)> parts,
        string generatorFree)
    {
        var inputs = found.ToList();
        var files = inputs.Select(a => Path.Combine(a.Folder, generatorFree)).ToList();
        if (inputs.Count != agentCount || results.Count != agentCount || !files.All(File.Exists))
        {
            return null;
        }

        var sums = parts.Where(p => p.PartOf is null).Select(p => p.Name).Append("total").ToDictionary(n => n, _ => Histograms.Create());
        foreach (var file in files)
        {
            foreach (var histogram in HlogReader.StreamIntervals(file))
            {
                if (sums.TryGetValue(histogram.Tag ?? "total", out var sum))
                {
                    sum.Add(histogram);
                }
            }
        }

        var counted = results.Sum(r => r.Total.Count);
        var touched = counted > 0 ? results.Sum(r => r.Generator.PauseTouchedPercent / 100 * r.Total.Count) / counted : 0;
        return new GeneratorAllowance(sums, results.Max(r => r.Generator.LongestPauseMs), touched);
    }

    /// <summary>The generators as one: saturated if any was; the worst lag and stalls; the GC and allocations of all; each finding with its agent.</summary>
    private static GeneratorHealth Generator(IEnumerable<AgentInput> found, Scenario scenario)
    {
        var results = found.Where(a => a.Result is not null).Select(a => a.Result!).ToList();
        var limits = scenario.Load.Limits;
        var worstLag = results.Where(r => r.Generator.SchedulingLag is not null).MaxBy(r => r.Generator.SchedulingLag!.P99)?.Generator.SchedulingLag;
        var worstPool = results.MaxBy(r => r.Generator.ThreadPoolDelay.Max)?.Generator.ThreadPoolDelay ?? LatencySummaries.From(Histograms.Create());
        var findings = found.Where(a => a.Result is not null).OrderBy(a => a.Index).SelectMany(a => a.Result!.Generator.Findings.Select(f => $"agent {a.Index}: {f}")).ToList();
        var collections = results.SelectMany(r => r.Generator.GcCollections).GroupBy(c => c.Key).ToDictionary(g => g.Key, g => g.Sum(c => c.Value));
        return new GeneratorHealth(worstLag, results.Select(r => r.Generator.MaxSchedulingLagP99Ms).DefaultIfEmpty(limits.MaxSchedulingLagP99.TotalMilliseconds).Min(),
            Math.Round(results.Sum(r => r.Generator.GcPauseMs), 3), results.Select(r => r.Generator.GcPausePercent).DefaultIfEmpty(0).Max(), collections,
            Math.Round(results.Sum(r => r.Generator.AllocatedMegabytes), 3), worstPool, limits.MaxThreadPoolDelay.TotalMilliseconds,
            results.Select(r => r.Generator.CpuPercent).DefaultIfEmpty(0).Max(), results.Any(r => r.Generator.Saturated), findings)
        {
            LongestGcPauseMs = results.Select(r => r.Generator.LongestGcPauseMs).DefaultIfEmpty(0).Max(),
            GcPauses = results.Sum(r => r.Generator.GcPauses),
            JitMethods = results.Sum(r => r.Generator.JitMethods),
            JitMs = Math.Round(results.Sum(r => r.Generator.JitMs), 3),
            LongestPauseMs = results.Select(r => r.Generator.LongestPauseMs).DefaultIfEmpty(0).Max(),
            DroppedByGenerator = results.Sum(r => r.Generator.DroppedByGenerator),
            Share = "per agent: see each agent's result.json (the worst agent's scheduling lag is shown)",
        };
    }

    private static (string Status, List<string> Reasons) Status(List<AgentResult> agents, List<RunResult> results, GeneratorHealth generator, long completed, IReadOnlyList<SlaVerdict> verdicts)
    {
        var reasons = new List<string>();
        var longest = agents.Max(a => a.MeasuredSeconds);
        foreach (var agent in agents)
        {
            reasons.AddRange(agent.State switch
            {
                AgentResult.Missing => [$"agent {agent.Index} is missing: it left no measured second in the run folder; the merged run holds less load than the scenario's"],
                AgentResult.Killed => [Inv($"agent {agent.Index} did not finish: the {agent.MeasuredSeconds:0.#} s it logged ({agent.Count:N0} operations) are merged; its errors and generator health are not known")],
                // Agents end within a fraction of a second of each other; a whole second less is a gap in the load.
                _ when agent.MeasuredSeconds < longest - ShortBySeconds => [Inv($"agent {agent.Index} is short: {agent.MeasuredSeconds:0.#} measured seconds against {longest:0.#} of the longest agent")],
                _ => [],
            });
        }

        var incomplete = reasons.Count > 0;
        string status;
        if (incomplete)
        {
            status = RunStatus.Incomplete;
        }
        else if (results.Any(r => r.Status == RunStatus.Interrupted))
        {
            status = RunStatus.Interrupted;
            reasons.Add("an agent was interrupted (Ctrl-C or SIGTERM) before its end; the numbers cover what ran");
        }
        else if (results.FirstOrDefault(r => r.Status == RunStatus.Aborted) is { } aborted)
        {
            status = RunStatus.Aborted;
            reasons.AddRange(aborted.StatusReasons.Take(1));
        }
        else if (generator.Saturated || results.Any(r => r.Load.Unfinished > 0) || completed == 0)
        {
            status = RunStatus.Invalid;
            reasons.AddRange(agents.Where(a => a.Saturated).Select(a =>
                $"agent {a.Index}'s load generator fell so far behind that it did not offer its share of the load: the merged run did not apply the intended load; give the agents more cores or run more of them"));
            reasons.AddRange(results.Where(r => r.Load.Unfinished > 0).Select(r => $"{r.Load.Unfinished} operations of an agent were still in flight after the drain timeout"));
            if (completed == 0)
            {
                reasons.Add("no operation completed in the measured window");
            }
        }
        else if (verdicts.Any(v => v.Verdict == SlaOutcome.Fail))
        {
            status = RunStatus.Failed;
        }
        else
        {
            status = verdicts.Any(v => v.Verdict == SlaOutcome.Inconclusive) ? RunStatus.Inconclusive : RunStatus.Passed;
        }

        reasons.AddRange(ScenarioRunner.VerdictReasons(verdicts));
        return (status, reasons);
    }

    private static AgentResult Describe(int index, AgentInput? input, AgentLog? log)
    {
        var result = input?.Result;
        var manifest = input?.Manifest;
        var state = log is null || (log.Count == 0 && log.EndSeconds == 0) ? AgentResult.Missing : result is null ? AgentResult.Killed : AgentResult.Finished;
        var seconds = log is null ? 0 : Math.Max(1e-9, log.EndSeconds);
        return new AgentResult(index, state, manifest?.Host ?? result?.Environment.Machine, result?.Status, result?.Load.TargetRatePerSecond,
            log is null ? 0 : Math.Round(log.Count / seconds, 3), log?.Count ?? 0, result?.Total.Errors.Total ?? 0, Math.Round(log?.EndSeconds ?? 0, 3),
            result?.Generator.SchedulingLag?.P99, result?.Generator.Saturated ?? false, manifest?.ClockOffsetMs, manifest?.StartLagMs);
    }

    private static string Inv(FormattableString text) => FormattableString.Invariant(text);

    /// <summary>One agent's .hlog, read a second at a time.</summary>
    private sealed class AgentLog : IDisposable
    {
        private readonly HlogLines _lines;
        private long _firstStamp = -1;
        private long _lastEndStamp;

        public AgentLog(AgentInput input, string path)
        {
            Input = input;
            _lines = new HlogLines(path);
            HasCurrent = _lines.Next();
        }

        public AgentInput Input { get; }

        /// <summary>Whether an interval is left to take.</summary>
        public bool HasCurrent { get; private set; }

        /// <summary>The start of the interval to take next, in milliseconds since the epoch.</summary>
        public long CurrentStartMs => _lines.StartMs;

        /// <summary>The merged second of this agent's first interval.</summary>
        public long FirstSecond { get; private set; } = -1;

        public long Count { get; private set; }

        /// <summary>The length of this agent's logged seconds, from its first interval's start to its last one's end.</summary>
        public double EndSeconds => _firstStamp < 0 ? 0 : (_lastEndStamp - _firstStamp) / 1000.0;

        /// <summary>Adds every interval of the current second into <paramref name="into"/> by tag; returns the second's length.</summary>
        public double TakeSecond(Dictionary<string, HistogramBase> into, long second)
        {
            if (FirstSecond < 0)
            {
                FirstSecond = second;
            }

            var stamp = _lines.StartMs;
            _firstStamp = _firstStamp < 0 ? stamp : _firstStamp;
            double length = 0;
            while (HasCurrent && _lines.StartMs == stamp)
            {
                if (into.TryGetValue(_lines.Tag ?? TotalTag, out var sum))
                {
                    var added = _lines.AddTo(sum);
                    if (_lines.Tag is null)
                    {
                        Count += added;
                        length = (_lines.EndMs - _lines.StartMs) / 1000.0;
                        _lastEndStamp = _lines.EndMs;
                    }
                }

                HasCurrent = _lines.Next();
            }

            return length;
        }

        public void Dispose() => _lines.Dispose();
    }
}
