using System.Globalization;
using Benchmarks.Core.Capacity;
using Benchmarks.Core.Execution;
using Benchmarks.Core.Results;
using Benchmarks.Core.Parsing;
using Benchmarks.Core.Stores;

namespace Benchmarks.Core.Executors;

/// <summary>The capacity-search executor's settings: see <see cref="CapacitySearchRun"/> for how the steps are chosen. Duration and warm-up are per step.</summary>
public sealed record CapacitySearch(double StartRatePerSecond, double Growth, double? MaxRatePerSecond, double PrecisionPercent, int MaxSteps,
    TimeSpan StepDuration, OpenModelLimits Limits) : ExecutorSettings
{
    public const string ExecutorName = "capacity-search";

    public static IExecutorKind Kind { get; } = new ExecutorKind(ExecutorName,
        ["startRate", "growth", "maxRate", "precision", "maxSteps", "duration", .. OpenModelLimits.Keys], Parse, key => key switch
        {
            "concurrency" => "a capacity search steps through arrival rates; bound them with maxInFlight",
            "stages" or "rate" => "a capacity search chooses its own rates from startRate",
            _ => null,
        });

    public override string Name => ExecutorName;

    /// <summary>Each step has its own rate; the search as a whole has none.</summary>
    public override double? TargetRatePerSecond => null;

    public override TimeSpan MeasuredDuration => StepDuration;

    public override int? MaxInFlight => Limits.MaxInFlight;


    public override string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"from {StartRatePerSecond:0.##}/s, x{Growth:0.##} then bisecting to {PrecisionPercent:0.#}%, steps of {Units.FormatDuration(StepDuration)}");

    /// <summary>The steps run as constant arrival rate: the search itself never starts operations.</summary>
    public override IExecutor CreateExecutor(WindowBounds bounds) =>
        throw new InvalidOperationException("a capacity search runs constant-rate steps; it is not one window");

    public override Task<RunOutcome> RunAsync(IWindowMeasurement measurement, CancellationToken cancellationToken) =>
        new CapacitySearchRun(this, measurement).RunAsync(cancellationToken);

    /// <summary>The constant-rate step at <paramref name="rate"/> (the whole rate; an agent's step is its share of it).</summary>
    public ConstantArrivalRate Step(double rate) => new(rate, StepDuration, Limits) { Agent = Agent };

    private static CapacitySearch Parse(ScenarioSection load, LoadCommon common)
    {
        if (common.OperationLimit is not null)
        {
            load.Fail("operations", "a capacity search measures every step for its duration", "remove 'operations' and set 'duration' (per step)");
        }

        return new CapacitySearch(
            load.GetRate("startRate", 0, required: true),
            load.GetNumber("growth", 2, min: 1.05, max: 100),
            load.Has("maxRate") ? load.GetRate("maxRate", 0) : null,
            load.GetPercent("precision", 5),
            (int)load.GetInteger("maxSteps", 20, min: 2, max: 200),
            load.GetDuration("duration", TimeSpan.Zero, min: TimeSpan.FromMilliseconds(100), required: true),
            OpenModelLimits.Parse(load));
    }
}

/// <summary>
/// One capacity search: constant-rate steps, each a full measured window judged by the
/// scenario's SLA (and the implicit no-drop rule). The rate grows geometrically until a step fails,
/// then is bisected between the last pass and the first failure to the configured precision; the
/// candidate is then measured a second time, and only a rate that passes twice is the capacity. A step
/// whose verdict the generator's own lag could have decided (inconclusive) is measured again, up to
/// twice; one that stays inconclusive counts as not passing, so the capacity is never claimed on it.
/// An invalid step (store gone, load not offered) ends the search with that finding: the capacity is
/// then only known to be at least the last passing rate, and the run is invalid, never a false capacity.
/// The result is the passing step at the capacity found, with every step and the sizing attached.
/// </summary>
internal sealed class CapacitySearchRun(CapacitySearch search, IWindowMeasurement measurement)
{
    private readonly List<(CapacityStep Step, RunOutcome Outcome)> _steps = [];

    /// <summary>How many times a step that came out inconclusive is measured again before it counts as not passing.</summary>
    internal const int InconclusiveRetries = 2;

    public async Task<RunOutcome> RunAsync(CancellationToken cancellationToken)
    {
        RunOutcome? best = null, firstFailure = null, stopper = null;
        double? pass = null, fail = null;
        double? rate = search.StartRatePerSecond;
        var confirmed = false;

        // A step at the knee can pass by luck: the candidate is measured a second time before it is
        // called the capacity, and if it fails then, the search goes on below it.
        while (rate is { } r && _steps.Count < search.MaxSteps && !cancellationToken.IsCancellationRequested)
        {
            var confirming = pass == r;
            var outcome = await StepAsync(r, confirming, remeasure: false, cancellationToken);
            for (var retry = 0; retry < InconclusiveRetries && outcome.Result.Status == RunStatus.Inconclusive
                && _steps.Count < search.MaxSteps && !cancellationToken.IsCancellationRequested; retry++)
            {
                outcome = await StepAsync(r, confirming, remeasure: true, cancellationToken);
            }

            var status = outcome.Result.Status;
            if (status is RunStatus.Invalid or RunStatus.Aborted or RunStatus.Interrupted or RunStatus.Incomplete)
            {
                stopper = outcome;
                break;
            }

            if (status == RunStatus.Passed)
            {
                pass = r;
                best = outcome;
                confirmed = confirming;
            }
            else
            {
                fail = fail is { } f ? Math.Min(f, r) : r;
                firstFailure ??= outcome;
                if (confirming)
                {
                    // The candidate did not hold: fall back to the best rate that passed below it.
                    var below = _steps.Where(s => s.Step.Status == RunStatus.Passed && s.Step.TargetRatePerSecond < r)
                        .OrderByDescending(s => s.Step.TargetRatePerSecond).FirstOrDefault();
                    pass = below.Outcome is null ? null : below.Step.TargetRatePerSecond;
                    best = below.Outcome;
                }
            }

            rate = Next(pass, fail, confirmed);
        }

        return Conclude(best, firstFailure, firstFailure ?? stopper ?? _steps[^1].Outcome, pass, fail, stopper, confirmed);
    }

    /// <summary>The next rate to try, or null when the search is over.</summary>
    private double? Next(double? pass, double? fail, bool confirmed)
    {
        if (pass is not { } p)
        {
            return null; // even the lowest rate tried broke the SLA
        }

        if (fail is not { } f)
        {
            if (search.MaxRatePerSecond is { } max && p >= max)
            {
                return confirmed ? null : p;
            }

            return Math.Round(Math.Min(p * search.Growth, search.MaxRatePerSecond ?? double.MaxValue), 1);
        }

        if ((f - p) / p * 100 > search.PrecisionPercent)
        {
            return Math.Round((p + f) / 2, 1);
        }

        return confirmed ? null : p;
    }

    private async Task<RunOutcome> StepAsync(double rate, bool confirming, bool remeasure, CancellationToken cancellationToken)
    {
        var index = _steps.Count + 1;
        var why = remeasure ? " (measured again: the last step was inconclusive)" : confirming ? " (confirming the candidate)" : "";
        measurement.Progress.Phase(string.Create(CultureInfo.InvariantCulture, $"capacity search, step {index}: {rate:0.#}/s{why}"));
        var hlog = string.Create(CultureInfo.InvariantCulture, $"{measurement.ScenarioName}.step{index:00}.hlog");
        var outcome = await measurement.MeasureAsync(search.Step(rate), hlog, cancellationToken);
        var r = outcome.Result;
        var step = new CapacityStep(index, rate, r.Load.AchievedRatePerSecond, r.Total.Latency.Corrected.P50, r.Total.Latency.Corrected.P99,
            r.Total.Latency.Corrected.P999, r.Total.Errors.Total, r.Load.Dropped, r.Status, r.StatusReasons, r.Files.Hlog ?? hlog);
        _steps.Add((step, outcome));
        measurement.Progress.Phase(string.Create(CultureInfo.InvariantCulture,
            $"  step {index}: {rate:0.#}/s achieved {r.Load.AchievedRatePerSecond:0.#}/s, p99 {Figures.Ms(step.P99)} ms: {r.Status}"));
        return outcome;
    }

    private RunOutcome Conclude(RunOutcome? best, RunOutcome? firstFailure, RunOutcome fallback, double? pass, double? fail, RunOutcome? stopper, bool confirmed)
    {
        var inv = CultureInfo.InvariantCulture;
        var reasons = new List<string>();
        string status;
        string conclusion;
        if (stopper is not null)
        {
            status = stopper.Result.Status;
            conclusion = pass is { } p
                ? string.Create(inv, $"the search stopped at {stopper.Result.Load.TargetRatePerSecond:0.#}/s ({stopper.Result.Status}): the capacity is at least {p:0.#}/s, and no more is known")
                : string.Create(inv, $"the search stopped at its first step ({stopper.Result.Status}): no capacity is known");
            reasons.Add(conclusion);
            reasons.AddRange(stopper.Result.StatusReasons);
        }
        else if (pass is null)
        {
            status = RunStatus.Failed;
            conclusion = string.Create(inv, $"even the start rate {search.StartRatePerSecond:0.#}/s broke the SLA: start lower");
            reasons.Add(conclusion);
            reasons.AddRange(fallback.Result.StatusReasons);
        }
        else if (fail is null)
        {
            status = RunStatus.Passed;
            conclusion = string.Create(inv, $"every step passed up to {pass:0.#}/s (maxRate or maxSteps reached){(confirmed ? ", confirmed by a second step" : "")}: the capacity is at least that");
        }
        else
        {
            status = RunStatus.Passed;
            conclusion = string.Create(inv, $"capacity {pass:0.#}/s: the highest rate whose step met every SLA{(confirmed ? ", twice" : " (not confirmed: maxSteps reached)")}; {fail:0.#}/s did not pass ({(fail - pass) / pass * 100:0.#}% above)");
        }

        var chosen = best ?? fallback;
        var measured = chosen.Result.Total.Count;
        var tail = measured * 0.01;
        var confidence = string.Create(inv,
            $"each step ran {Units.FormatDuration(measurement.Warmup)} warm-up + {Units.FormatDuration(search.StepDuration)} measured; the step at the capacity measured {measured:N0} operations ({tail:N0} beyond its p99). The bracket is {search.PrecisionPercent:0.#}% wide at most; rates between the last pass and the first failure were not tested.");
        // What limits the capacity is seen at the lowest rate that did not pass, not at the first failure the climb met.
        var limit = stopper ?? _steps.Where(s => s.Step.TargetRatePerSecond == fail && s.Step.Status != RunStatus.Passed).Select(s => s.Outcome).LastOrDefault() ?? firstFailure;
        var capacity = new CapacitySummary(stopper is null ? pass : null, fail, search.PrecisionPercent, conclusion, confidence, [.. _steps.Select(s => s.Step)])
        {
            Sizing = pass is { } c && measurement.Sizing is { } inputs ? Sizing.Estimate(c, WithMeasuredRequestUnits(inputs, chosen.Result)) : null,
            WhatIf = pass is { } w && stopper is null
                ? Sizing.WhatIf(w, WhatIfInputs(measurement.Sizing, chosen.Result), measurement.StoreKind)
                : [],
            LimitingSla = limit is null ? [] : [.. limit.Result.Sla.Where(v => v.Verdict != SlaOutcome.Pass).Select(v => v.Threshold)],
            BoundBy = BoundBy(limit, stopper is not null),
        };
        var result = chosen.Result with
        {
            Status = status,
            StatusReasons = reasons,
            Scenario = chosen.Result.Scenario with { Executor = search.Name },
            Capacity = capacity,
        };
        return chosen with { Result = result };
    }

    /// <summary>
    /// What bounded the search, from the step that ended the climb: the load generator when it could not offer
    /// the load (invalid), could explain the failure (inconclusive) or used most of the machine; otherwise the store.
    /// </summary>
    private static string BoundBy(RunOutcome? limit, bool stopped)
    {
        if (limit is null)
        {
            return "neither: the search reached its maxRate or maxSteps with every step passing";
        }

        var r = limit.Result;
        var rate = string.Create(CultureInfo.InvariantCulture, $"{r.Load.TargetRatePerSecond:0.#}/s");
        if (r.Generator.Saturated || (stopped && r.Status == RunStatus.Invalid && r.StatusReasons.Any(s => s.Contains("load generator", StringComparison.Ordinal))))
        {
            return $"the load generator: at {rate} it could not offer the load";
        }

        if (r.Status == RunStatus.Inconclusive)
        {
            return $"the load generator: at {rate} its own lag and pauses could explain the failure";
        }

        if (stopped)
        {
            return $"unknown: the step at {rate} was {r.Status} ({string.Join("; ", r.StatusReasons)})";
        }

        return r.Generator.CpuPercent > GeneratorBoundCpuPercent
            ? string.Create(CultureInfo.InvariantCulture, $"the load generator, probably: at {rate} it used {r.Generator.CpuPercent:0}% of the machine's CPU")
            : $"the store: at {rate} it broke the SLA while the load generator kept up";
    }

    /// <summary>Past this share of the machine's CPU, the generator (not the store) is the likely bound of a failing step.</summary>
    internal const double GeneratorBoundCpuPercent = 90;

    /// <summary>Without a given RU per operation, a store that reports request charges sizes from the mean measured at the capacity.</summary>
    /// <summary>The what-if's inputs: the scenario's, or for a store that charges request units and has no <c>sizing:</c>, the defaults with the measured charge.</summary>
    private static SizingInputs? WhatIfInputs(SizingInputs? inputs, RunResult result) => inputs is null
        ? result.Total.Metrics?.TryGetValue(StoreMetric.RequestUnits, out var charged) == true && charged.Total is { } sum && charged.Count > 0
            ? new SizingInputs(0, Sizing.DefaultHeadroomPercent, null, Math.Round(sum / charged.Count, 4), null) { RequestUnitsMeasured = true }
            : null
        : WithMeasuredRequestUnits(inputs, result);

    private static SizingInputs WithMeasuredRequestUnits(SizingInputs inputs, RunResult result) =>
        inputs.RequestUnitsPerOperation is null && result.Total.Metrics?.TryGetValue(StoreMetric.RequestUnits, out var ru) == true && ru.Total is { } total && ru.Count > 0
            ? inputs with { RequestUnitsPerOperation = Math.Round(total / ru.Count, 4), RequestUnitsMeasured = true }
            : inputs;
}
