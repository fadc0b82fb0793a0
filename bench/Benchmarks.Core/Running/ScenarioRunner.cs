using System.Runtime;
using Benchmarks.Core.Agents;
using Benchmarks.Core.Capacity;
using Benchmarks.Core.Execution;
using Benchmarks.Core.Executors;
using Benchmarks.Core.Faults;
using Benchmarks.Core.Flows;
using Benchmarks.Core.Health;
using Benchmarks.Core.Parsing;
using Benchmarks.Core.Recording;
using Benchmarks.Core.Results;
using Benchmarks.Core.Scenarios;
using Benchmarks.Core.Stores;
using Benchmarks.Core.Thresholds;
using Benchmarks.Core.Workload;
using HdrHistogram;

namespace Benchmarks.Core.Running;

/// <summary>
/// Runs one scenario end to end: connect (or start a local store), preload, warm up, measure, judge.
/// Throws <see cref="StoreUnavailableException"/> when the store cannot be reached (exit code 3).
/// </summary>
public sealed class ScenarioRunner(StoreCatalog stores)
{
    /// <summary>Lead time before the first intended start, so that operation 0 is not born late.</summary>
    private static readonly TimeSpan StartLead = TimeSpan.FromMilliseconds(20);

    /// <summary>A warm-up shorter than this is not interrupted by a collection of its garbage.</summary>
    private static readonly TimeSpan MinimumWarmupToSettle = TimeSpan.FromSeconds(1);

    public async Task<RunOutcome> RunAsync(Scenario scenario, RunOptions options, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(options.OutputDirectory);
        var progress = options.Progress;
        // A flow scenario's stores sit behind one driver, and its flows are the entries of the mix.
        var flows = scenario.Store.Settings as FlowStores;
        var factory = flows is null ? stores.Get(scenario.Store.Kind) : null;
        await using var driver = flows is null ? factory!.Create(scenario.Store.Settings) : new FlowDriver(flows, stores, scenario.Data.Keys);

        progress.Phase($"connecting to {scenario.Store.Kind} ({scenario.Store.RedactedTarget})");
        var store = await driver.ConnectAsync(cancellationToken);

        var workload = new WorkloadContext(scenario.Seed, scenario.Data.KeyPrefix,
            scenario.Workload.Distribution.Create(scenario.Data.Keys), new ValueGenerator(scenario.Data.Value, scenario.Seed));
        var operations = scenario.Workload.Mix.Select(m => driver.CreateOperation(m, workload)).ToList();
        var metrics = (factory as IReportsStoreMetrics)?.Metrics ?? [];
        IReadOnlyList<RecorderPlan> recorders = driver is FlowDriver flowDriver
            ? flowDriver.Plan(scenario.Workload.Mix)
            : [.. scenario.Workload.Mix.Select(m => new RecorderPlan(m.Name, m.Operation, null, metrics))];

        // Of several agents, the first preloads for all and the others wait for it.
        var agent = options.Agent;
        if (scenario.Data.Preload && driver is IPreloadingDriver preloading && (agent?.Preloads ?? true))
        {
            var (count, description) = preloading.DescribePreload(scenario.Data);
            progress.Phase($"preloading {description}");
            await preloading.PreloadAsync(workload, scenario.Data, new Progress<long>(done => progress.Preload(done, count)), cancellationToken);
        }

        if (agent is { Preloads: true })
        {
            await agent.MarkPreloadedAsync(cancellationToken);
        }
        else if (agent is not null)
        {
            await agent.WaitForPreloadAsync(progress, cancellationToken);
        }

        if (driver is FlowDriver bind)
        {
            await bind.BindAsync(cancellationToken);
        }

        if (agent is not null)
        {
            var (offset, reference) = await agent.MeasureClockOffsetAsync(cancellationToken);
            var late = await agent.WaitForStartAsync(progress, cancellationToken);
            new AgentManifest(agent.Slice.Index, agent.Slice.Count, scenario.Name, scenario.SourcePath, [.. options.Overrides.Select(SecretRedaction.Override)],
                agent.StartAt, Environment.MachineName, Environment.ProcessId, offset, reference, Math.Round(late.TotalMilliseconds, 1), EnvironmentProbe.HarnessVersion)
                .Write(Path.Combine(agent.Folder, AgentLayout.Manifest));
        }

        return await scenario.Load.Executor.RunAsync(new Window(scenario, driver, store, operations, recorders, options), cancellationToken);
    }

    /// <summary>Measures windows of the connected, preloaded store: what an executor's plan runs once or per step.</summary>
    private sealed class Window(Scenario scenario, IStoreDriver driver, StoreInfo store, IReadOnlyList<IStoreOperation> operations,
        IReadOnlyList<RecorderPlan> recorders, RunOptions options) : IWindowMeasurement
    {
        public string ScenarioName => scenario.Name;

        public TimeSpan Warmup => scenario.Load.Warmup;

        public SizingInputs? Sizing => scenario.Sizing;

        public string StoreKind => scenario.Store.Kind;

        public IRunProgress Progress => options.Progress;

        public int InconclusiveRemeasures => options.Agent is null ? scenario.Load.RemeasureInconclusive : 0;

        private int _windows;

        public async Task<RunOutcome> MeasureAsync(ExecutorSettings executor, string hlogName, CancellationToken cancellationToken)
        {
            var window = _windows++;
            var measured = scenario with { Load = scenario.Load with { Executor = executor } };
            // Agents of a plan of several windows (a capacity search) measure each window together and decide the next
            // one on them all: each agent merges every agent's window, so all of them take the same next step.
            var lockstep = options.Agent is { } agent && scenario.Load.Executor is CapacitySearch ? new AgentWindows(agent, measured, options.Progress) : null;
            if (lockstep is not null && window > 0)
            {
                await lockstep.WaitForWindowAsync(window, cancellationToken);
            }

            var outcome = await ScenarioRunner.MeasureAsync(measured, window, driver, store, operations, recorders, options, hlogName, cancellationToken);
            return lockstep is null ? outcome : await lockstep.MergeAsync(window, outcome, hlogName, cancellationToken);
        }
    }

    /// <summary>One measured window: warm-up, then measurement, recorded into its own .hlog, judged by the scenario's SLA.</summary>
    private static async Task<RunOutcome> MeasureAsync(Scenario scenario, int window, IStoreDriver driver, StoreInfo store, IReadOnlyList<IStoreOperation> operations,
        IReadOnlyList<RecorderPlan> recorders, RunOptions options, string hlogName, CancellationToken cancellationToken)
    {
        var progress = options.Progress;
        // An agent's timestamps are on its own clock, as its start instant is: the merge lines agents up by them.
        var startTime = options.Agent?.UtcNow ?? DateTimeOffset.UtcNow;
        // Shared for reading: the .hlog of a running run can be followed (HdrHistogram's tools, tail) as it grows.
        using var hlog = new HlogWriter(new FileStream(Path.Combine(options.OutputDirectory, hlogName), FileMode.Create, FileAccess.Write, FileShare.Read), startTime,
            $"bench {scenario.Name}: tags <op>.corrected / <op>.uncorrected; untagged = total corrected");
        var baseTicks = Timing.Now;
        using var session = new RecordingSession(recorders, hlog, progress, baseTicks);
        using var monitor = new GeneratorMonitor();

        // Abort rules are judged on each second as it is taken; one that fires stops the run as Ctrl-C would,
        // but the run is then "aborted" (it was going badly), not "interrupted".
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // An agent also stops, as aborted, when whoever watches the whole run gives the stop signal.
        var watch = scenario.AbortOn.Count > 0 ? new AbortWatch(scenario.AbortOn) : null;
        string? abortedBy = null;
        if (watch is not null || options.Agent is not null)
        {
            var operationNames = scenario.Workload.Mix.Select(m => m.Name).ToList();
            session.IntervalObserver = (seconds, interval) =>
            {
                options.Agent?.LogErrors(seconds, operationNames, name => interval(name)?.Errors ?? 0);
                var fired = watch?.Observe(seconds, interval) == true ? watch.Fired : options.Agent?.StopRequested() is { } why ? $"stopped by the run's stop signal: {why}" : null;
                if (fired is not null && abortedBy is null)
                {
                    abortedBy = fired;
                    progress.Phase(fired);
                    // Off this thread: cancelling runs every in-flight operation's callbacks.
                    _ = stop.CancelAsync();
                }
            };
        }

        var load = scenario.Load;
        var executor = load.Executor.CreateExecutor(load.Bounds);
        var start = baseTicks + Timing.FromTimeSpan(StartLead);
        var measureStart = start + Timing.FromTimeSpan(load.Warmup);
        var plannedEnd = load.MeasuredDuration > TimeSpan.Zero
            ? measureStart + Timing.FromTimeSpan(load.MeasuredDuration)
            : measureStart + Timing.FromTimeSpan(TimeSpan.FromDays(1));
        var clock = new RunClock(start, measureStart, plannedEnd);
        // The warm-up is recorded, and its seconds taken, as the measured window's are, then thrown away: every piece of code
        // the measured window runs has been compiled (and tiered up with its profile) before measurement starts.
        using var warmup = session.ForWarmup();
        var runner = new OperationRunner(driver, operations, new OperationMix([.. scenario.Workload.Mix.Select(m => m.Weight)]),
            OperationRandom.WindowSeed(scenario.Seed, window), session, stop.Token, warmup);
        var targetRate = load.Executor.TargetRatePerSecond;

        progress.Phase(load.Warmup > TimeSpan.Zero
            ? $"warming up for {Units.FormatDuration(load.Warmup)}, then measuring for {Units.FormatDuration(load.MeasuredDuration)}"
            : $"measuring for {Units.FormatDuration(load.MeasuredDuration)}");
        // Scripted faults act on the stores at their times of the measured window; each second is summed into its phase.
        var measureOffset = Timing.ToSeconds(measureStart - baseTicks);
        var injector = scenario.Faults.Count > 0
            ? new FaultInjector(scenario.Faults, name => driver is FlowDriver flows ? flows.Target(name) : driver as IFaultTarget, progress)
            : null;
        var phases = injector is null ? null : new PhaseRecorder(session.Recorders, injector, measureOffset);
        if (phases is not null)
        {
            session.IntervalSink += phases.Observe;
        }

        using var faultStop = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
        var injection = injector?.RunAsync(measureStart, faultStop.Token) ?? Task.CompletedTask;
        options.Live?.Follow(session, scenario.Name, options.Agent?.Slice.Index ?? 0, targetRate);
        session.Start(measureStart, load.MeasuredDuration.TotalSeconds, targetRate);
        // Full blocking collections paused the generator for 20–27 ms here; in this mode gen2 runs in the background.
        var latencyMode = GCSettings.LatencyMode;
        GCSettings.LatencyMode = GCLatencyMode.SustainedLowLatency;
        ExecutionStats stats;
        GeneratorMonitor.Snapshot health;
        try
        {
            // The heap the preload left is collected before any load, and what the warm-up promoted (pooled
            // connections, their buffers) half-way through it: the first collection of a run promoted it all
            // and paused the generator for 20 ms in the measured window. Half the warm-up is left to drain the
            // backlog of that pause even near a store's capacity, where spare throughput is small.
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            warmup.Start(start, load.Warmup.TotalSeconds, targetRate);
            monitor.StartProbing();
            var execution = executor.RunAsync(runner, clock, stop.Token);
            if (load.Warmup >= MinimumWarmupToSettle)
            {
                await WaitUntilAsync(measureStart - Timing.FromTimeSpan(load.Warmup / 2), execution);
                GC.Collect(1, GCCollectionMode.Forced, blocking: true);
            }

            await WaitUntilAsync(measureStart, execution);
            warmup.Stop();
            monitor.Start();
            stats = await execution;
            // A fault still going when the window ends is undone now (a paused server let go, a killed one restarted).
            await faultStop.CancelAsync();
            await injection;
            session.Stop(stats.MeasureEndTicks);
            health = monitor.Stop();
        }
        finally
        {
            GCSettings.LatencyMode = latencyMode;
        }

        var measuredSeconds = Math.Max(1e-9, Timing.ToSeconds(Math.Max(stats.MeasureEndTicks, measureStart) - measureStart));
        var histograms = WindowHistograms.Of(session);
        if (options.Agent is not null)
        {
            WriteGeneratorFree(session, Path.Combine(options.OutputDirectory, AgentLayout.GeneratorFreeOf(hlogName)), startTime);
        }
        var result = BuildResult(scenario, options, store, startTime, measuredSeconds, executor, stats, session, histograms, health, targetRate,
            cancellationToken.IsCancellationRequested, abortedBy, hlogName, injector is null ? null : new FaultRun(injector, phases!, measureOffset));
        return new RunOutcome(result, histograms, options.OutputDirectory);
    }

    /// <summary>
    /// An agent's generator-free totals (each latency less its own start lag), one interval per top-level operation and
    /// the total: the merge sums them to allow for the generators' lag exactly as a single run's verdicts do.
    /// </summary>
    private static void WriteGeneratorFree(RecordingSession session, string path, DateTimeOffset startTime)
    {
        using var log = new HlogWriter(File.Create(path), startTime, "bench agent: generator-free latency totals by operation");
        foreach (var recorder in session.TopLevel)
        {
            log.Append(recorder.Name, 0, 0, recorder.TotalGeneratorFree);
        }

        log.Append(null, 0, 0, session.SumGeneratorFree());
    }

    private static async Task WaitUntilAsync(long ticks, Task execution)
    {
        var wait = Timing.ToSeconds(ticks - Timing.Now);
        if (wait > 0)
        {
            await Task.WhenAny(Task.Delay(TimeSpan.FromSeconds(wait)), execution);
        }
    }

    private static RunResult BuildResult(Scenario scenario, RunOptions options, StoreInfo store, DateTimeOffset startTime,
        double seconds, IExecutor executor, ExecutionStats stats, RecordingSession session, IReadOnlyList<OperationHistograms> histograms, GeneratorMonitor.Snapshot health,
        double? targetRate, bool interrupted, string? abortedBy, string hlogName, FaultRun? faultRun = null)
    {
        var load = scenario.Load;
        var operations = session.Recorders.Select((r, i) =>
            Operation(r.Name, r.Operation, r.TotalCorrected, r.TotalUncorrected,
                ErrorKinds.All.ToDictionary(ErrorKinds.Name, r.ErrorCount), seconds).WithDetailsOf(histograms[i], r, seconds) with { PartOf = r.PartOf }).ToList();
        // A step's errors are its flow's errors too: the total counts each failed flow once.
        var totalErrors = ErrorKinds.All.ToDictionary(ErrorKinds.Name, k => session.TopLevel.Sum(r => r.ErrorCount(k)));
        var total = Operation("total", "*", session.TotalCorrected, session.TotalUncorrected, totalErrors, seconds)
            with { Metrics = histograms[^1].SummarizeMetrics(seconds) };

        var completed = total.Count + total.Errors.Total;
        var loadSummary = new LoadSummary(
            load.Executor.Name, targetRate, Math.Round(completed / seconds, 3), load.Executor.MaxInFlight, load.Executor.Concurrency,
            stats.Scheduled, completed, stats.Dropped, stats.Unfinished, executor.CorrectsCoordinatedOmission);

        var thresholds = Thresholds(scenario, executor.CorrectsCoordinatedOmission);

        var data = histograms.ToDictionary(h => h.Name);
        var generatorFree = session.Recorders.ToDictionary(r => r.Name, r => r.TotalGeneratorFree);
        generatorFree["total"] = session.SumGeneratorFree();
        var byName = operations.ToDictionary(o => o.Name);
        byName["total"] = total;

        var lag = session.TakeSchedulingLag();
        var allowance = Allowance(generatorFree, health, total.Latency.Corrected.Mean, seconds);
        var faults = faultRun?.Faults(scenario, session, byName);
        var phaseResults = faultRun?.Phases();
        var verdicts = SlaEvaluator.Evaluate(thresholds, data, byName, loadSummary, allowance,
            phaseResults?.ToDictionary(p => p.Result.Phase, p => (p.Data, (IReadOnlyDictionary<string, OperationResult>)p.Result.Operations.Append(p.Result.Total).ToDictionary(o => o.Name))),
            faults is null ? null : faults.Any(f => f.RecoverySeconds is null) ? null : faults.Max(f => f.RecoverySeconds));
        var generator = Generator(lag, health, load.Limits, allowance, session.DroppedByGenerator, total.Latency.Corrected.P99);

        var reasons = new List<string>();
        string status;
        if (interrupted)
        {
            status = RunStatus.Interrupted;
            reasons.Add("the run was interrupted (Ctrl-C or SIGTERM) before its end; the numbers cover what ran");
        }
        else if (abortedBy is not null)
        {
            status = RunStatus.Aborted;
            reasons.Add(abortedBy + "; the numbers cover what ran until then");
        }
        else if (generator.Saturated || stats.Unfinished > 0 || completed == 0 || faults?.Any(f => f.Error is not null) == true)
        {
            status = RunStatus.Invalid;
            reasons.AddRange(faults?.Where(f => f.Error is not null).Select(f => $"a scripted fault was not done as written, so the run did not test what it says: {f.Error}") ?? []);
            if (generator.Saturated)
            {
                reasons.Add(Inv($"the load generator fell so far behind that it did not offer the intended load: it dropped {session.DroppedByGenerator:N0} operations ") +
                    "that were already maxLag late although it had not waited for the store for as long; lower the rate or give the generator more cores");
            }

            if (stats.Unfinished > 0)
            {
                reasons.Add($"{stats.Unfinished} operations were still in flight after the drain timeout ({Units.FormatDuration(load.DrainTimeout)})");
            }

            if (completed == 0)
            {
                reasons.Add("no operation completed in the measured window");
            }
        }
        else if (verdicts.Any(v => v.Verdict == SlaOutcome.Fail))
        {
            status = RunStatus.Failed;
        }
        else if (verdicts.Any(v => v.Verdict == SlaOutcome.Inconclusive))
        {
            status = RunStatus.Inconclusive;
        }
        else
        {
            status = RunStatus.Passed;
        }

        reasons.AddRange(VerdictReasons(verdicts));

        return new RunResult
        {
            Scenario = Describe(scenario, store.Target, options.Overrides),
            Status = status,
            StatusReasons = reasons,
            StartTime = startTime,
            DurationSeconds = Math.Round(seconds, 6),
            WarmupSeconds = load.Warmup.TotalSeconds,
            Environment = EnvironmentProbe.Describe(store),
            Load = loadSummary,
            Operations = operations,
            Total = total,
            Sla = verdicts,
            Generator = generator,
            Intervals = session.Series,
            Files = new OutputFiles(hlogName, OutputFileNames.HgrmFiles(session.Recorders.Select(r => r.Name).Append("total")), OutputFileNames.Summary),
            Faults = faults,
            Phases = phaseResults?.Select(p => p.Result).ToList(),
            RequestUnits = total.Metrics?.TryGetValue(StoreMetric.RequestUnits, out var ru) == true && ru.Total is { } charged
                // A flow's rate is of flows: its charge per flow is what the rate multiplies, whatever share of flows reached Cosmos DB.
                ? RequestUnitPlanner.Plan(charged, scenario.Store.Settings is FlowStores ? completed : ru.Count, seconds, targetRate ?? loadSummary.AchievedRatePerSecond, scenario.Sizing)
                : null,
        };
    }

    /// <summary>What a failed or inconclusive verdict says in the status reasons.</summary>
    internal static IEnumerable<string> VerdictReasons(IReadOnlyList<SlaVerdict> verdicts) =>
        verdicts.Where(v => v.Verdict == SlaOutcome.Fail).Select(v =>
            $"SLA '{v.Threshold}' not met: measured {Fmt(v.Measured)} {v.Unit} against {v.Comparison} {Fmt(v.Target)} {v.Unit}" +
            (v.BestCase is { } best && best < v.Measured ? $" (at least {Fmt(best)} {v.Unit} without the load generator's lag and pauses)" : ""))
        .Concat(verdicts.Where(v => v.Verdict == SlaOutcome.Inconclusive).Select(v =>
            $"SLA '{v.Threshold}' inconclusive: measured {Fmt(v.Measured)} {v.Unit} against {v.Comparison} {Fmt(v.Target)} {v.Unit}, " +
            $"but without the load generator's own lag and pauses it could have been as low as {Fmt(v.BestCase ?? 0)} {v.Unit}: " +
            "run the generator on its own cores or a less loaded machine to decide it"));

    /// <summary>
    /// The thresholds a window is judged by: the scenario's, and for an open model that did not set one, that nothing was
    /// dropped (a run that dropped operations did not apply the load it claims).
    /// </summary>
    internal static List<SlaThreshold> Thresholds(Scenario scenario, bool correctsCoordinatedOmission)
    {
        var thresholds = scenario.Sla.ToList();
        if (correctsCoordinatedOmission && thresholds.All(t => t.Metric != SlaMetric.Dropped))
        {
            thresholds.Add(new SlaThreshold("dropped == 0", null, SlaMetric.Dropped, 0, Comparison.Equal, 0, false, Implicit: true));
        }

        return thresholds;
    }

    private static string Fmt(double v) => v.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);

    private static string Inv(FormattableString text) => FormattableString.Invariant(text);

    /// <summary>The scenario as result.json records it: what ran, against what (redacted), with which overrides (secrets redacted).</summary>
    internal static ScenarioInfo Describe(Scenario scenario, string target, IReadOnlyList<string> overrides) =>
        new(scenario.Name, scenario.Description, scenario.SourcePath, scenario.Seed, scenario.Store.Kind, target, scenario.Load.Executor.Name,
            scenario.Workload.Distribution.ToString(), scenario.Data.Keys, scenario.Data.Value.ToString(), [.. overrides.Select(SecretRedaction.Override)])
        {
            Gate = scenario.Gate,
        };

    internal static OperationResult Operation(string name, string op, HistogramBase corrected, HistogramBase uncorrected,
        IReadOnlyDictionary<string, long> errors, double seconds)
    {
        var errorTotal = errors.Values.Sum();
        var attempted = corrected.TotalCount + errorTotal;
        return new OperationResult(name, op, corrected.TotalCount,
            new ErrorCounts(errorTotal, attempted > 0 ? Math.Round((double)errorTotal / attempted, 6) : 0, errors),
            Math.Round(corrected.TotalCount / seconds, 3),
            new LatencyPair(LatencySummaries.From(corrected), LatencySummaries.From(uncorrected)));
    }

    /// <summary>
    /// JIT time while measuring, as a share of the window, above which the report says so: as shipped (every method compiled
    /// once, the warm-up recorded) 0.1 %, with <c>DOTNET_TieredCompilation=1</c> 1.1–1.7 % of a 15 s window (docs/performance.md).
    /// </summary>
    private const double JitFindingPercent = 0.5;

    /// <summary>
    /// What the report says when the JIT worked in the measured window for more than <see cref="JitFindingPercent"/> of it.
    /// The warm-up runs and records what the measured window does, so the JIT should be all but quiet in it; a run with
    /// tiered compilation turned on, or code that first runs after the warm-up, shows here.
    /// </summary>
    internal static string? JitFinding(long methods, TimeSpan jitTime, double elapsedSeconds)
    {
        var percent = elapsedSeconds > 0 ? 100 * jitTime.TotalSeconds / elapsedSeconds : 0;
        return percent > JitFindingPercent
            ? Inv($"the JIT compiled {methods} methods in {jitTime.TotalMilliseconds:0} ms while measuring ({percent:0.#}% of the window): ") +
              "code compiled or recompiled in the measured window runs slower until it is, and the JIT takes CPU from the generator"
            : null;
    }

    /// <summary>Below this, a lag is within the noise of waking a thread and is not worth a finding.</summary>
    private const double LagNoiseFloorMs = 0.1;

    /// <summary>The generator's share of the latencies: its lag per operation (exact) and its pauses (bounded).</summary>
    private static GeneratorAllowance Allowance(IReadOnlyDictionary<string, HistogramBase> generatorFree, GeneratorMonitor.Snapshot health,
        double meanLatencyMs, double seconds)
    {
        var longestPauseMs = Math.Max(health.LongestGcPause.TotalMilliseconds, health.ThreadPoolDelay.TotalCount > 0 ? health.ThreadPoolDelay.GetMaxValue() / 1000.0 : 0);
        var touched = GeneratorAllowance.TouchedFraction(health.GcPauses + health.PoolStalls,
            health.GcPause.TotalSeconds + health.PoolStallTime.TotalSeconds, meanLatencyMs / 1000, seconds);
        return new GeneratorAllowance(generatorFree, longestPauseMs, touched);
    }

    private static GeneratorHealth Generator(HistogramBase? lagHistogram, GeneratorMonitor.Snapshot health, GeneratorLimits limits,
        GeneratorAllowance allowance, long droppedByGenerator, double correctedP99Ms)
    {
        var findings = new List<string>();
        LatencySummary? lag = lagHistogram is { } h ? LatencySummaries.From(h) : null;
        // The limits no longer invalidate a run (the verdicts account for the lag); past them, the report says so.
        var shareLimitMs = correctedP99Ms > 0 ? Math.Max(LagNoiseFloorMs, limits.MaxLagShareOfP99 * correctedP99Ms) : double.PositiveInfinity;
        var lagLimitMs = Math.Min(limits.MaxSchedulingLagP99.TotalMilliseconds, shareLimitMs);
        if (lag is not null && lag.P99 > lagLimitMs)
        {
            findings.Add(Inv($"scheduling lag p99 {lag.P99:0.###} ms is above {lagLimitMs:0.###} ms ") +
                Inv($"(the lesser of {limits.MaxSchedulingLagP99.TotalMilliseconds:0.###} ms and {limits.MaxLagShareOfP99 * 100:0.#}% of the measured p99): ") +
                "the verdicts allow for it, but a generator on its own cores would measure the store more sharply");
        }

        var pool = LatencySummaries.From(health.ThreadPoolDelay);
        var poolLimitMs = limits.MaxThreadPoolDelay.TotalMilliseconds;
        if (pool.Max > poolLimitMs)
        {
            findings.Add(Inv($"thread-pool stall: a queued work item waited {pool.Max:0.#} ms (above {poolLimitMs:0.#} ms)"));
        }

        var gcPercent = health.ElapsedSeconds > 0 ? 100 * health.GcPause.TotalSeconds / health.ElapsedSeconds : 0;
        if (gcPercent > 5)
        {
            findings.Add(Inv($"GC paused the generator {gcPercent:0.#}% of the measured time"));
        }

        if (JitFinding(health.JitMethods, health.JitTime, health.ElapsedSeconds) is { } jit)
        {
            findings.Add(jit);
        }

        if (health.CpuPercentOfMachine > 90)
        {
            findings.Add(Inv($"the generator used {health.CpuPercentOfMachine:0}% of all cores: it competes with the store for CPU"));
        }

        var bestP99 = allowance.BestCaseMs("total", 99);
        var share = double.IsNaN(bestP99) || correctedP99Ms <= 0
            ? null
            : Inv($"of the p99 {correctedP99Ms:0.###} ms, at most {Math.Max(0, correctedP99Ms - bestP99):0.###} ms can be the load generator's ") +
              Inv($"(its start lag, and pauses of up to {allowance.LongestPauseMs:0.###} ms touching {100 * allowance.PauseTouchedFraction:0.###}% of operations)");

        return new GeneratorHealth(lag, lagLimitMs, Math.Round(health.GcPause.TotalMilliseconds, 3), Math.Round(gcPercent, 3),
            health.Collections, Math.Round(health.AllocatedBytes / 1048576.0, 3), pool, poolLimitMs,
            Math.Round(health.CpuPercentOfMachine, 1), droppedByGenerator > 0, findings)
        {
            LongestGcPauseMs = Math.Round(health.LongestGcPause.TotalMilliseconds, 3),
            GcPauses = health.GcPauses,
            JitMethods = health.JitMethods,
            JitMs = Math.Round(health.JitTime.TotalMilliseconds, 3),
            LongestPauseMs = Math.Round(allowance.LongestPauseMs, 3),
            PauseTouchedPercent = Math.Round(100 * allowance.PauseTouchedFraction, 4),
            DroppedByGenerator = droppedByGenerator,
            Share = share,
        };
    }
}
