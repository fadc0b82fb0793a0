using Benchmarks.Core.Capacity;
using Benchmarks.Core.Execution;
using Benchmarks.Core.Health;
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

    public async Task<RunOutcome> RunAsync(Scenario scenario, RunOptions options, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(options.OutputDirectory);
        var progress = options.Progress;
        var factory = stores.Get(scenario.Store.Kind);
        await using var driver = factory.Create(scenario.Store.Settings);

        progress.Phase($"connecting to {scenario.Store.Kind} ({scenario.Store.RedactedTarget})");
        var store = await driver.ConnectAsync(cancellationToken);

        var workload = new WorkloadContext(scenario.Seed, scenario.Data.KeyPrefix,
            scenario.Workload.Distribution.Create(scenario.Data.Keys), new ValueGenerator(scenario.Data.Value, scenario.Seed));
        var operations = scenario.Workload.Mix.Select(m => driver.CreateOperation(m, workload)).ToList();
        var metrics = (factory as IReportsStoreMetrics)?.Metrics ?? [];

        if (scenario.Data.Preload && driver is IPreloadingDriver preloading)
        {
            var (count, description) = preloading.DescribePreload(scenario.Data);
            progress.Phase($"preloading {description}");
            await preloading.PreloadAsync(workload, scenario.Data, new Progress<long>(done => progress.Preload(done, count)), cancellationToken);
        }

        if (scenario.Load.Executor == ExecutorKind.CapacitySearch)
        {
            return await new CapacitySearch(scenario, options,
                (step, hlog) => MeasureAsync(step, driver, store, operations, metrics, options, hlog, cancellationToken)).RunAsync(cancellationToken);
        }

        return await MeasureAsync(scenario, driver, store, operations, metrics, options, $"{scenario.Name}.hlog", cancellationToken);
    }

    /// <summary>One measured window: warm-up, then measurement, recorded into its own .hlog, judged by the scenario's SLA.</summary>
    private static async Task<RunOutcome> MeasureAsync(Scenario scenario, IStoreDriver driver, StoreInfo store, IReadOnlyList<IStoreOperation> operations,
        IReadOnlyList<StoreMetric> metrics, RunOptions options, string hlogName, CancellationToken cancellationToken)
    {
        var progress = options.Progress;
        var startTime = DateTimeOffset.UtcNow;
        using var hlog = new HlogWriter(File.Create(Path.Combine(options.OutputDirectory, hlogName)), startTime,
            $"bench {scenario.Name}: tags <op>.corrected / <op>.uncorrected; untagged = total corrected");
        var names = scenario.Workload.Mix.Select(m => m.Name).ToList();
        var baseTicks = Timing.Now;
        using var session = new RecordingSession(names, hlog, progress, baseTicks, metrics);
        using var monitor = new GeneratorMonitor();

        var executor = CreateExecutor(scenario.Load);
        var load = scenario.Load;
        var start = baseTicks + Timing.FromTimeSpan(StartLead);
        var measureStart = start + Timing.FromTimeSpan(load.Warmup);
        var plannedEnd = load.Duration > TimeSpan.Zero || load.Executor == ExecutorKind.RampingArrivalRate
            ? measureStart + Timing.FromTimeSpan(load.MeasuredDuration)
            : measureStart + Timing.FromTimeSpan(TimeSpan.FromDays(1));
        var clock = new RunClock(start, measureStart, plannedEnd);
        var runner = new OperationRunner(driver, operations, new OperationMix([.. scenario.Workload.Mix.Select(m => m.Weight)]),
            scenario.Seed, session, cancellationToken);
        var targetRate = load.Executor switch
        {
            ExecutorKind.ConstantArrivalRate => load.RatePerSecond,
            ExecutorKind.RampingArrivalRate => RampingArrivalRateExecutor.MeanPlannedRate(load),
            _ => (double?)null,
        };

        progress.Phase(load.Warmup > TimeSpan.Zero
            ? $"warming up for {Units.FormatDuration(load.Warmup)}, then measuring for {Units.FormatDuration(load.MeasuredDuration)}"
            : $"measuring for {Units.FormatDuration(load.MeasuredDuration)}");
        session.Start(measureStart, load.MeasuredDuration.TotalSeconds, targetRate);
        var execution = executor.RunAsync(runner, clock, cancellationToken);
        await WaitUntilAsync(measureStart, execution);
        monitor.Start();
        var stats = await execution;
        session.Stop();
        var health = monitor.Stop();

        var measuredSeconds = Math.Max(1e-9, Timing.ToSeconds(Math.Max(stats.MeasureEndTicks, measureStart) - measureStart));
        var result = BuildResult(scenario, options, store, startTime, measuredSeconds, executor, stats, session, health, targetRate,
            cancellationToken.IsCancellationRequested, hlogName);
        var histograms = session.Recorders.Select(r => new OperationHistograms(r.Name, r.TotalCorrected, r.TotalUncorrected))
            .Append(new OperationHistograms("total", session.TotalCorrected, session.TotalUncorrected)).ToList();
        return new RunOutcome(result, histograms, options.OutputDirectory);
    }

    private static IExecutor CreateExecutor(LoadDefinition load) => load.Executor switch
    {
        ExecutorKind.ConstantArrivalRate => new ConstantArrivalRateExecutor(load),
        ExecutorKind.RampingArrivalRate => new RampingArrivalRateExecutor(load),
        ExecutorKind.ConstantConcurrency => new ConstantConcurrencyExecutor(load),
        _ => throw new ArgumentOutOfRangeException(nameof(load), load.Executor, "a capacity search runs constant-rate steps; it is not one executor"),
    };

    private static async Task WaitUntilAsync(long ticks, Task execution)
    {
        var wait = Timing.ToSeconds(ticks - Timing.Now);
        if (wait > 0)
        {
            await Task.WhenAny(Task.Delay(TimeSpan.FromSeconds(wait)), execution);
        }
    }

    private static RunResult BuildResult(Scenario scenario, RunOptions options, StoreInfo store, DateTimeOffset startTime,
        double seconds, IExecutor executor, ExecutionStats stats, RecordingSession session, GeneratorMonitor.Snapshot health,
        double? targetRate, bool aborted, string hlogName)
    {
        var load = scenario.Load;
        var operations = session.Recorders.Select((r, i) =>
            Operation(r.Name, scenario.Workload.Mix[i].Operation, r.TotalCorrected, r.TotalUncorrected,
                ErrorKinds.All.ToDictionary(ErrorKinds.Name, r.ErrorCount), seconds).WithDetailsOf(r, seconds)).ToList();
        var totalErrors = ErrorKinds.All.ToDictionary(ErrorKinds.Name, k => session.Recorders.Sum(r => r.ErrorCount(k)));
        var total = Operation("total", "*", session.TotalCorrected, session.TotalUncorrected, totalErrors, seconds)
            with { Metrics = StoreMetricSummaries.Total(session.Recorders, seconds) };

        var completed = total.Count + total.Errors.Total;
        var loadSummary = new LoadSummary(
            ExecutorName(load.Executor), targetRate, Math.Round(completed / seconds, 3),
            load.Executor == ExecutorKind.ConstantConcurrency ? null : load.MaxInFlight,
            load.Executor == ExecutorKind.ConstantConcurrency ? load.Concurrency : null,
            stats.Scheduled, completed, stats.Dropped, stats.Unfinished, executor.CorrectsCoordinatedOmission);

        var thresholds = scenario.Sla.ToList();
        if (executor.CorrectsCoordinatedOmission && thresholds.All(t => t.Metric != SlaMetric.Dropped))
        {
            // A run that dropped operations did not apply the load it claims; say so unless the scenario allows it.
            thresholds.Add(new SlaThreshold("dropped == 0", null, SlaMetric.Dropped, 0, Comparison.Equal, 0, false, Implicit: true));
        }

        var corrected = session.Recorders.ToDictionary(r => r.Name, r => r.TotalCorrected);
        corrected["total"] = session.TotalCorrected;
        var byName = operations.ToDictionary(o => o.Name);
        byName["total"] = total;
        var verdicts = SlaEvaluator.Evaluate(thresholds, corrected, byName, loadSummary, (op, metric, p) => StoreMetricValue(session, op, metric, p));

        var generator = Generator(stats, health, load.Limits, total.Latency.Corrected.P99);
        var reasons = new List<string>();
        string status;
        if (aborted)
        {
            status = RunStatus.Aborted;
            reasons.Add("the run was cancelled before its end; the numbers cover what ran");
        }
        else if (generator.Saturated || stats.Unfinished > 0 || completed == 0)
        {
            status = RunStatus.Invalid;
            reasons.AddRange(generator.Findings.Where(_ => generator.Saturated));
            if (stats.Unfinished > 0)
            {
                reasons.Add($"{stats.Unfinished} operations were still in flight after the drain timeout ({Units.FormatDuration(load.DrainTimeout)})");
            }

            if (completed == 0)
            {
                reasons.Add("no operation completed in the measured window");
            }
        }
        else if (verdicts.Any(v => !v.Passed))
        {
            status = RunStatus.Failed;
        }
        else
        {
            status = RunStatus.Passed;
        }

        reasons.AddRange(verdicts.Where(v => !v.Passed).Select(v =>
            $"SLA '{v.Threshold}' not met: measured {Fmt(v.Measured)} {v.Unit} against {v.Comparison} {Fmt(v.Target)} {v.Unit}"));

        return new RunResult
        {
            Scenario = new ScenarioInfo(scenario.Name, scenario.Description, scenario.SourcePath, scenario.Seed, scenario.Store.Kind,
                store.Target, ExecutorName(load.Executor), scenario.Workload.Distribution.ToString(), scenario.Data.Keys,
                scenario.Data.Value.ToString(), [.. options.Overrides.Select(SecretRedaction.Override)]) { Gate = scenario.Gate },
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
            Files = new OutputFiles(hlogName, new Dictionary<string, string>(), "summary.md"),
            RequestUnits = total.Metrics?.TryGetValue(StoreMetric.RequestUnits, out var ru) == true && ru.Total is { } charged
                ? RequestUnitPlanner.Plan(charged, ru.Count, seconds, targetRate ?? loadSummary.AchievedRatePerSecond, scenario.Sizing)
                : null,
        };
    }

    /// <summary>A store metric at a percentile (100: its max) for one operation, or over the whole mix ("total"); NaN when never recorded.</summary>
    private static double StoreMetricValue(RecordingSession session, string operation, string metric, double percentile)
    {
        var recorders = session.Recorders.Where(r => operation == "total" || r.Name == operation)
            .SelectMany(r => r.Metrics.Where(m => m.Metric.Name == metric)).ToList();
        if (recorders.Count == 0 || recorders.Sum(r => r.Count) == 0)
        {
            return double.NaN;
        }

        var values = StoreMetricValues.Merge(recorders);
        return percentile >= 100 ? values.Max : values.ValueAtPercentile(percentile);
    }

    private static string Fmt(double v) => v.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);

    public static string ExecutorName(ExecutorKind kind) => kind switch
    {
        ExecutorKind.ConstantArrivalRate => "constant-arrival-rate",
        ExecutorKind.RampingArrivalRate => "ramping-arrival-rate",
        ExecutorKind.CapacitySearch => "capacity-search",
        _ => "constant-concurrency",
    };

    private static OperationResult Operation(string name, string op, HistogramBase corrected, HistogramBase uncorrected,
        IReadOnlyDictionary<string, long> errors, double seconds)
    {
        var errorTotal = errors.Values.Sum();
        var attempted = corrected.TotalCount + errorTotal;
        return new OperationResult(name, op, corrected.TotalCount,
            new ErrorCounts(errorTotal, attempted > 0 ? Math.Round((double)errorTotal / attempted, 6) : 0, errors),
            Math.Round(corrected.TotalCount / seconds, 3),
            new LatencyPair(LatencySummaries.From(corrected), LatencySummaries.From(uncorrected)));
    }

    /// <summary>Below this, a lag is within the noise of waking a thread and never invalidates a run.</summary>
    private const double LagNoiseFloorMs = 0.1;

    private static GeneratorHealth Generator(ExecutionStats stats, GeneratorMonitor.Snapshot health, GeneratorLimits limits, double correctedP99Ms)
    {
        var findings = new List<string>();
        var saturated = false;
        LatencySummary? lag = stats.SchedulingLag is { } h ? LatencySummaries.From(h) : null;
        // With no successful operation there is no p99 to compare the lag with: only the absolute limit applies.
        var shareLimitMs = correctedP99Ms > 0 ? Math.Max(LagNoiseFloorMs, limits.MaxLagShareOfP99 * correctedP99Ms) : double.PositiveInfinity;
        var lagLimitMs = Math.Min(limits.MaxSchedulingLagP99.TotalMilliseconds, shareLimitMs);
        if (lag is not null && lag.P99 > lagLimitMs)
        {
            saturated = true;
            findings.Add($"the load generator could not keep to the schedule: scheduling lag p99 {lag.P99:0.###} ms > limit {lagLimitMs:0.###} ms " +
                $"(the lesser of {limits.MaxSchedulingLagP99.TotalMilliseconds:0.###} ms and {limits.MaxLagShareOfP99:P0} of the measured p99): " +
                "lower the rate, give the generator its own cores, or raise load.selfCheck limits");
        }

        var pool = LatencySummaries.From(health.ThreadPoolDelay);
        var poolLimitMs = limits.MaxThreadPoolDelay.TotalMilliseconds;
        if (pool.Max > poolLimitMs)
        {
            saturated = true;
            findings.Add($"thread-pool starvation: a queued work item waited {pool.Max:0.#} ms > limit {poolLimitMs:0.#} ms");
        }

        var gcPercent = health.ElapsedSeconds > 0 ? 100 * health.GcPause.TotalSeconds / health.ElapsedSeconds : 0;
        if (gcPercent > 5)
        {
            findings.Add($"GC paused the generator {gcPercent:0.#}% of the measured time");
        }

        if (health.CpuPercentOfMachine > 90)
        {
            findings.Add($"the generator used {health.CpuPercentOfMachine:0}% of all cores: it competes with the store for CPU");
        }

        return new GeneratorHealth(lag, lagLimitMs, Math.Round(health.GcPause.TotalMilliseconds, 3), Math.Round(gcPercent, 3),
            health.Collections, Math.Round(health.AllocatedBytes / 1048576.0, 3), pool, poolLimitMs,
            Math.Round(health.CpuPercentOfMachine, 1), saturated, findings);
    }
}
