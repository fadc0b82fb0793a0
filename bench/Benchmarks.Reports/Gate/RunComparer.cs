using System.Globalization;
using Benchmarks.Core.Results;
using Benchmarks.Core.Thresholds;
using Perfolizer.Mathematics.Common;
using Perfolizer.Mathematics.SignificanceTesting;
using Perfolizer.Mathematics.SignificanceTesting.MannWhitney;
using Perfolizer.Metrology;
using Pragmastat;

namespace Benchmarks.Reports.Gate;

/// <summary>
/// The regression gate. A metric regresses only when its change is beyond the tolerance in size
/// *and* the per-second samples of the two runs differ by more than that tolerance with significance
/// (a one-sided Mann–Whitney equivalence test, as BenchmarkDotNet's statistical columns use), so
/// noise alone, on a shared machine, does not fail a build. With fewer than
/// <see cref="MinimumSamples"/> intervals per run there is no test to run and size alone decides.
/// </summary>
public static class RunComparer
{
    public const int MinimumSamples = 5;

    /// <summary>
    /// Operations beyond a percentile that each second must hold for its per-second value to mean
    /// anything: below that, a per-second p99 is just the second's maximum, and noise.
    /// </summary>
    public const int MinimumTailPerInterval = 5;

    /// <summary>α of the significance test: a regression must be this unlikely to be noise.</summary>
    public static readonly SignificanceLevel Alpha = SignificanceLevel.P001;

    public static RunComparison Compare(RunResult baseline, RunResult current, IReadOnlyDictionary<string, double?> tolerances)
    {
        var metrics = new List<MetricComparison>();
        var baseOps = baseline.Operations.Append(baseline.Total).ToDictionary(o => o.Name);
        var resolution = tolerances.GetValueOrDefault(GateTolerances.Resolution) ?? 0;
        foreach (var op in current.Operations.Append(current.Total))
        {
            if (!baseOps.TryGetValue(op.Name, out var before))
            {
                metrics.Add(new MetricComparison(op.Name, "count", "ops", 0, op.Count, null, null, Verdicts.Info, "operation not in the baseline"));
                continue;
            }

            var beforeSeries = Samples(baseline, op.Name);
            var afterSeries = Samples(current, op.Name);
            var perSecond = Math.Min(MedianCount(beforeSeries), MedianCount(afterSeries));
            foreach (var (name, percentile, total, perSecondValue) in LatencyColumns.Gated)
            {
                var interval = perSecondValue!;
                var needed = percentile < 100 ? Math.Ceiling(MinimumTailPerInterval / (1 - (percentile / 100))) : 0;
                var comparison = Judge(op.Name, name, "ms", total(before.Latency.Corrected), total(op.Latency.Corrected),
                    beforeSeries.Select(interval).ToArray(), afterSeries.Select(interval).ToArray(), tolerances[name], higherIsWorse: true, resolution);
                metrics.Add(tolerances[name] is not null && perSecond < needed && beforeSeries.Length >= MinimumSamples
                    ? comparison with
                    {
                        Verdict = Verdicts.Info,
                        Reason = string.Create(CultureInfo.InvariantCulture, $"not gated: {perSecond:0} operations a second are too few for a per-second {name} (needs {needed:0}/s)"),
                    }
                    : comparison);
            }

            metrics.Add(Judge(op.Name, "throughput", "ops/s", before.ThroughputPerSecond, op.ThroughputPerSecond,
                beforeSeries.Select(p => p.Count / p.LengthSeconds).ToArray(), afterSeries.Select(p => p.Count / p.LengthSeconds).ToArray(),
                tolerances["throughput"], higherIsWorse: false));
            metrics.Add(JudgeErrors(op.Name, 100 * before.Errors.Rate, 100 * op.Errors.Rate, tolerances["errors"]));
        }

        if (baseline.Capacity is { } beforeCapacity && current.Capacity is { } afterCapacity)
        {
            metrics = CompareCapacity(beforeCapacity, afterCapacity, baseline.Load.TargetRatePerSecond, current.Load.TargetRatePerSecond, metrics);
        }

        if (current.Load.Dropped > baseline.Load.Dropped)
        {
            metrics.Add(new MetricComparison("total", "dropped", "ops", baseline.Load.Dropped, current.Load.Dropped, null, 0, Verdicts.Regression,
                "operations were dropped that the baseline did not drop"));
        }

        return new RunComparison(current.Scenario.Name, baseline.StartTime.ToString("u", CultureInfo.InvariantCulture),
            current.StartTime.ToString("u", CultureInfo.InvariantCulture), metrics);
    }

    /// <summary>
    /// Two capacity searches: each found its capacity inside a bracket [last pass, first failure), as wide as its
    /// precision. The capacity moved only when the brackets do not overlap: a regression when the current search
    /// failed at or below a rate the baseline passed, an improvement when it passed at or above one the baseline failed.
    /// The steps at the two capacities ran at different rates, so their latencies are then reported, not gated.
    /// </summary>
    private static List<MetricComparison> CompareCapacity(CapacitySummary before, CapacitySummary after, double? beforeRate, double? afterRate, List<MetricComparison> stepMetrics)
    {
        var inv = CultureInfo.InvariantCulture;
        string Bracket(CapacitySummary c) => string.Create(inv, $"[{c.CapacityPerSecond:0.#}, {(c.FirstFailingRatePerSecond is { } f ? f.ToString("0.#", inv) : "untested")})");
        MetricComparison capacity;
        if (before.CapacityPerSecond is not { } b || after.CapacityPerSecond is not { } a)
        {
            // A search that found no capacity where the other found one moved as far as a search can.
            var (verdict, why) = (before.CapacityPerSecond, after.CapacityPerSecond) switch
            {
                (not null, null) => (Verdicts.Regression, $"the current search found no capacity: {after.Conclusion}"),
                (null, not null) => (Verdicts.Improvement, $"the baseline search found no capacity: {before.Conclusion}"),
                _ => (Verdicts.Info, "neither search found a capacity: nothing to compare"),
            };
            capacity = new MetricComparison("total", "capacity", "ops/s", before.CapacityPerSecond ?? 0, after.CapacityPerSecond ?? 0, null, null, verdict, why);
        }
        else
        {
            double? change = Math.Round(100 * (a - b) / b, 2);
            var tolerance = Math.Max(before.PrecisionPercent, after.PrecisionPercent);
            var brackets = $"baseline {Bracket(before)}, current {Bracket(after)}";
            capacity = after.FirstFailingRatePerSecond is { } currentFail && currentFail <= b
                ? new MetricComparison("total", "capacity", "ops/s", b, a, change, tolerance, Verdicts.Regression,
                    $"the capacity moved down beyond the searches' precision: the current search failed at a rate the baseline passed ({brackets})")
                : before.FirstFailingRatePerSecond is { } baselineFail && a >= baselineFail
                    ? new MetricComparison("total", "capacity", "ops/s", b, a, change, tolerance, Verdicts.Improvement,
                        $"the capacity moved up beyond the searches' precision ({brackets})")
                    : new MetricComparison("total", "capacity", "ops/s", b, a, change, tolerance, Verdicts.Same,
                        $"within the searches' precision: the brackets overlap ({brackets})");
        }

        var sameRate = beforeRate == afterRate;
        var reason = string.Create(inv, $"reported, not gated: the steps at the two capacities ran at different rates ({beforeRate:0.#} and {afterRate:0.#}/s); the capacity is gated");
        return [capacity, .. stepMetrics.Select(m => sameRate ? m : m with { Verdict = Verdicts.Info, Reason = reason })];
    }

    private static double MedianCount(IntervalPoint[] points) =>
        points.Length == 0 ? 0 : points.Select(p => (double)p.Count).Order().ElementAt(points.Length / 2);

    /// <summary>Full intervals only: the last, partial one would bias rates and percentiles.</summary>
    private static IntervalPoint[] Samples(RunResult run, string operation) =>
        run.Intervals.FirstOrDefault(s => s.Operation == operation)?.Points.Where(p => p.LengthSeconds >= 0.5 && p.Count > 0).ToArray() ?? [];

    /// <param name="resolution">
    /// The smallest change, in the metric's unit, that can regress or improve (<see cref="GateTolerances.Resolution"/>
    /// for latencies; 0 for throughput): where it is more than the tolerance of the baseline, it is the tolerance.
    /// </param>
    internal static MetricComparison Judge(string op, string metric, string unit, double before, double after,
        double[] beforeSamples, double[] afterSamples, double? tolerance, bool higherIsWorse, double resolution = 0)
    {
        double? change = before > 0 ? Math.Round(100 * (after - before) / before, 2) : null;
        if (tolerance is not { } asked)
        {
            return new MetricComparison(op, metric, unit, before, after, change, null, Verdicts.Info, "reported, not gated");
        }

        var tol = GateTolerances.LatencyTolerance(asked, resolution, before);
        var why = tol > asked ? string.Create(CultureInfo.InvariantCulture, $" (the gate's resolution, {Fmt(resolution)} {unit}, is more than {Fmt(asked)}% of the baseline)") : "";

        var worse = change is { } c && (higherIsWorse ? c > tol : c < -tol);
        var better = change is { } d && (higherIsWorse ? d < -tol : d > tol);
        if (!worse && !better)
        {
            return new MetricComparison(op, metric, unit, before, after, change, tol, Verdicts.Same, $"within ±{Fmt(tol)}%{why}");
        }

        if (beforeSamples.Length < MinimumSamples || afterSamples.Length < MinimumSamples || !SignificanceAttainable(beforeSamples.Length, afterSamples.Length))
        {
            return new MetricComparison(op, metric, unit, before, after, change, tol, worse ? Verdicts.Regression : Verdicts.Improvement,
                $"beyond ±{Fmt(tol)}%{why}; too few intervals ({beforeSamples.Length} / {afterSamples.Length}) for a significance test at α = {Alpha.Value}, so size alone decides");
        }

        var result = new SimpleEquivalenceTest(MannWhitneyTest.Instance)
            .Perform(new Sample(afterSamples), new Sample(beforeSamples), Threshold.Parse(string.Create(CultureInfo.InvariantCulture, $"{tol}%")), Alpha);
        var significantlyWorse = higherIsWorse ? result == ComparisonResult.Greater : result == ComparisonResult.Lesser;
        var significantlyBetter = higherIsWorse ? result == ComparisonResult.Lesser : result == ComparisonResult.Greater;
        if (worse && significantlyWorse)
        {
            return new MetricComparison(op, metric, unit, before, after, change, tol, Verdicts.Regression,
                $"beyond {Fmt(tol)}%{why} and significant (Mann–Whitney over {afterSamples.Length} vs {beforeSamples.Length} intervals, α = {Alpha.Value})");
        }

        if (better && significantlyBetter)
        {
            return new MetricComparison(op, metric, unit, before, after, change, tol, Verdicts.Improvement, "better beyond the tolerance, significantly");
        }

        return new MetricComparison(op, metric, unit, before, after, change, tol, Verdicts.Same,
            $"changed {Fmt(change ?? 0)}% but the per-interval samples do not differ by more than {Fmt(tol)}%{why} with significance: noise");
    }

    /// <summary>
    /// Whether a one-sided rank test over these sample sizes can reach <see cref="Alpha"/> at all: its smallest
    /// p-value is 1 / C(n1 + n2, n1) (every sample of one run above every sample of the other). Two runs of
    /// 6 intervals can never reach 0.001 (1/924), so without this check even a tripled latency was "noise".
    /// </summary>
    internal static bool SignificanceAttainable(int n1, int n2)
    {
        double combinations = 1;
        for (var i = 1; i <= Math.Min(n1, n2); i++)
        {
            combinations = combinations * (n1 + n2 - Math.Min(n1, n2) + i) / i;
        }

        return 1 / combinations <= Alpha.Value;
    }

    private static MetricComparison JudgeErrors(string op, double before, double after, double? tolerance)
    {
        var change = Math.Round(after - before, 4);
        if (tolerance is not { } tol)
        {
            return new MetricComparison(op, "errors", "%", before, after, null, null, Verdicts.Info, "reported, not gated");
        }

        var verdict = change > tol ? Verdicts.Regression : change < -tol ? Verdicts.Improvement : Verdicts.Same;
        return new MetricComparison(op, "errors", "%", before, after, null, tol, verdict,
            $"error rate {(change >= 0 ? "+" : "")}{Fmt(change)} percentage points (tolerance {Fmt(tol)})");
    }

    private static string Fmt(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
}
