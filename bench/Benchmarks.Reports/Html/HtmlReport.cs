using System.Globalization;
using System.Net;
using System.Text;
using Benchmarks.Core.Results;
using Benchmarks.Reports.Gate;

namespace Benchmarks.Reports.Html;

/// <summary>
/// One self-contained HTML page (inline CSS and SVG, no script, no network) for a run or a suite of
/// runs: verdict first, then the distributions, the time series, the generator's health, the
/// environment and the scenario as run; against a baseline, both distributions and a table of changes.
/// </summary>
public static partial class HtmlReport
{
    /// <param name="runs">The runs, one section each.</param>
    /// <param name="baselines">For a run (by scenario name), its baseline and the comparison; optional.</param>
    public static string Render(string title, IReadOnlyList<RunOutcome> runs, IReadOnlyDictionary<string, (RunOutcome Baseline, RunComparison Comparison)>? baselines = null)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        sb.Append(CultureInfo.InvariantCulture, $"<title>{E(title)}</title><style>{Css}</style></head><body>");
        sb.Append(CultureInfo.InvariantCulture, $"<header><h1>{E(title)}</h1>");
        if (runs.Count > 1)
        {
            sb.Append("<table class=\"overview\"><tr><th>scenario</th><th>status</th><th>store</th><th>achieved rate</th><th>p99 corrected</th><th>SLAs met</th></tr>");
            foreach (var run in runs)
            {
                var r = run.Result;
                sb.Append(CultureInfo.InvariantCulture,
                    $"<tr><td><a href=\"#{Id(r.Scenario.Name)}\">{E(r.Scenario.Name)}</a></td><td>{Badge(r.Status)}</td><td>{E(r.Scenario.Store)}</td><td>{N(r.Load.AchievedRatePerSecond)}/s</td><td>{Ms(r.Total.Latency.Corrected.P99)} ms</td><td>{r.Sla.Count(v => v.Passed)}/{r.Sla.Count}</td></tr>");
            }

            sb.Append("</table>");
            CapacitySummaryTable(sb, runs);
        }

        sb.Append("</header><main>");
        foreach (var run in runs)
        {
            (RunOutcome Baseline, RunComparison Comparison)? against = baselines is not null && baselines.TryGetValue(run.Result.Scenario.Name, out var b) ? b : null;
            Section(sb, run, against);
        }

        sb.Append(CultureInfo.InvariantCulture, $"<footer>bench {E(runs.Count > 0 ? runs[0].Result.Environment.HarnessVersion : "")} · latencies from HdrHistograms (µs, 3 significant digits) · corrected = from the intended start (coordinated omission corrected), uncorrected = from the actual start</footer>");
        sb.Append("</main></body></html>");
        return sb.ToString();
    }

    /// <summary>The page of one run against its baseline: both distributions and the table of changes.</summary>
    public static string RenderAgainstBaseline(RunOutcome current, RunOutcome baseline, RunComparison comparison) =>
        Render($"bench: {current.Result.Scenario.Name} against its baseline", [current],
            new Dictionary<string, (RunOutcome, RunComparison)> { [current.Result.Scenario.Name] = (baseline, comparison) });

    /// <summary>The micro-benchmark page: BenchmarkDotNet results of the current build against a baseline.</summary>
    public static string RenderMicro(string title, RunComparison comparison, IReadOnlyList<Micro.MicroBenchmark> current)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(inv, $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{E(title)}</title><style>{Css}</style></head><body><header><h1>{E(title)}</h1></header><main>");
        sb.Append(inv, $"<section id=\"micro\"><h2>Micro-benchmarks {(comparison.Regressed ? Badge("failed", "regression") : Badge("passed", "no regression"))}</h2>");
        sb.Append(inv, $"<p class=\"muted\">BenchmarkDotNet full JSON exports. The mean time regresses when it is beyond its tolerance and the per-iteration measurements confirm it (Mann–Whitney, α = {RunComparer.Alpha.Value}); allocation is deterministic and regresses on any growth beyond its tolerance.</p>");
        var times = comparison.Metrics.Where(m => m.Metric == "time" && m.ChangePercent is not null).ToList();
        if (times.Count > 0)
        {
            sb.Append(inv, $"<div class=\"charts\"><figure>{Charts.Bars("change of the mean time against the baseline", "change (%)",
                [.. times.Select(m => m.ChangePercent!.Value)], [.. times.Select(m => m.Verdict == Verdicts.Regression)])}</figure></div>");
        }

        sb.Append("<table><tr><th>#</th><th></th><th>benchmark</th><th>metric</th><th>baseline</th><th>current</th><th>change</th><th>tolerance</th><th>why</th></tr>");
        var index = 0;
        foreach (var m in comparison.Metrics)
        {
            var cls = m.Verdict switch { Verdicts.Regression => "fail", Verdicts.Improvement => "better", _ => "" };
            var number = m.Metric == "time" && m.ChangePercent is not null ? $"#{++index}" : "";
            sb.Append(inv, $"<tr class=\"{cls}\"><td>{number}</td><td>{E(m.Verdict)}</td><td>{E(m.Operation)}</td><td>{E(m.Metric)}</td><td>{N(m.Baseline)} {E(m.Unit)}</td><td>{N(m.Current)} {E(m.Unit)}</td><td>{(m.ChangePercent is { } p ? $"{(p >= 0 ? "+" : "")}{N(p)}%" : "")}</td><td>{(m.TolerancePercent is { } t ? N(t) + "%" : "")}</td><td>{E(m.Reason)}</td></tr>");
        }

        sb.Append("</table><h3>Current results</h3><table class=\"num\"><tr><th>benchmark</th><th>mean (ns)</th><th>median (ns)</th><th>iterations</th><th>allocated (B/op)</th></tr>");
        foreach (var b in current)
        {
            sb.Append(inv, $"<tr><td>{E(b.Display)}</td><td>{N(b.MeanNs)}</td><td>{N(b.MedianNs)}</td><td>{b.SamplesNs.Length}</td><td>{(b.AllocatedBytes is { } a ? N(a) : "")}</td></tr>");
        }

        sb.Append("</table></section></main></body></html>");
        return sb.ToString();
    }

    private static void Section(StringBuilder sb, RunOutcome run, (RunOutcome Baseline, RunComparison Comparison)? against)
    {
        var r = run.Result;
        var inv = CultureInfo.InvariantCulture;
        sb.Append(inv, $"<section id=\"{Id(r.Scenario.Name)}\"><h2>{E(r.Scenario.Name)} {Badge(r.Status)}</h2>");
        if (r.Scenario.Description is { } description)
        {
            sb.Append(inv, $"<p class=\"muted\">{E(description)}</p>");
        }

        foreach (var reason in r.StatusReasons)
        {
            sb.Append(inv, $"<p class=\"reason {r.Status}\">{E(reason)}</p>");
        }

        var target = r.Load.TargetRatePerSecond is { } t ? $" of {N(t)}/s targeted" : "";
        sb.Append(inv, $"<p class=\"lead\">Achieved <b>{N(r.Load.AchievedRatePerSecond)}/s</b>{target} over {N(r.DurationSeconds)} s after {N(r.WarmupSeconds)} s warm-up · {r.Load.Completed:N0} completed · {r.Total.Errors.Total:N0} errors · {r.Load.Dropped:N0} dropped · {E(r.Load.Executor)}{(r.Load.Concurrency is { } c ? $", {c} workers" : $", max {r.Load.MaxInFlight} in flight")}</p>");

        // The verdict first.
        sb.Append("<h3>SLA</h3>");
        if (r.Sla.Count == 0)
        {
            sb.Append("<p class=\"muted\">This scenario sets no SLA.</p>");
        }
        else
        {
            sb.Append("<table><tr><th></th><th>threshold</th><th>target</th><th>measured</th><th>margin</th></tr>");
            foreach (var v in r.Sla)
            {
                var pct = v.MarginPercent is { } p ? $" ({(p >= 0 ? "+" : "")}{N(p)}%)" : "";
                sb.Append(inv, $"<tr class=\"{v.Verdict}\"><td>{v.Verdict switch { SlaOutcome.Pass => "✔ pass", SlaOutcome.Inconclusive => "? inconclusive", _ => "✘ fail" }}</td><td><code>{E(v.Threshold)}</code>{(v.Implicit ? " <span class=\"muted\">(implicit)</span>" : "")}</td><td>{E(v.Comparison)} {N(v.Target)} {E(v.Unit)}</td><td>{N(v.Measured)} {E(v.Unit)}</td><td>{(v.Margin >= 0 ? "+" : "")}{N(v.Margin)} {E(v.Unit)}{pct}</td></tr>");
            }

            sb.Append("</table>");
        }

        if (r.Capacity is { } capacity)
        {
            Capacity(sb, r, capacity, against?.Baseline.Result.Capacity);
        }

        if (against is { } a)
        {
            Comparison(sb, a.Comparison);
        }

        sb.Append("<h3>Latency distribution</h3><div class=\"charts\">");
        var baseHistograms = against?.Baseline.Histograms.ToDictionary(h => h.Name);
        foreach (var h in run.Histograms.Where(h => h.Corrected.TotalCount > 0))
        {
            var series = new List<ChartSeries> { Charts.PercentileCurve($"{h.Name} corrected", h.Corrected, Charts.Corrected) };
            if (r.Load.CoordinatedOmissionCorrected)
            {
                series.Add(Charts.PercentileCurve($"{h.Name} uncorrected (service time)", h.Uncorrected, Charts.Uncorrected));
            }

            if (baseHistograms is not null && baseHistograms.TryGetValue(h.Name, out var before) && before.Corrected.TotalCount > 0)
            {
                series.Add(Charts.PercentileCurve($"{h.Name} baseline corrected", before.Corrected, Charts.Baseline, dashed: true));
            }

            var targets = r.Sla.Where(v => v.Unit == "ms" && (v.Operation ?? "total") == h.Name)
                .Select(v => new ChartLine($"SLA {v.Threshold}", v.Target, Charts.Target)).ToList();
            sb.Append(inv, $"<figure>{Charts.PercentileDistribution($"{h.Name}: latency by percentile", series, targets)}</figure>");
        }

        sb.Append("</div>");
        FlowShares(sb, r);
        Agents(sb, r);
        Faults(sb, r);
        Percentiles(sb, r);
        StoreMetrics(sb, r);
        FirstErrors(sb, r);

        // The last interval is usually a fraction of a second: its rate would draw a false cliff.
        var total = r.Intervals.FirstOrDefault(s => s.Operation == "total")?.Points.Where(p => p.LengthSeconds >= 0.5).ToList() ?? [];
        if (total.Count > 0)
        {
            double[] x = [.. total.Select(p => p.StartSeconds - total[0].StartSeconds + p.LengthSeconds)];
            var windows = (r.Faults ?? []).Where(f => f.StartSeconds is not null)
                .Select(f => (f.StartSeconds!.Value, f.EndSeconds ?? x[^1], $"fault: {f.Action} {f.Target}")).ToList();
            sb.Append("<h3>Over time</h3><div class=\"charts\">");
            sb.Append(inv, $"<figure>{Charts.TimeSeries("latency per second (corrected, all operations)", "latency (ms)",
            [
                new ChartSeries("p50", x, [.. total.Select(p => p.P50)], Charts.Third),
                new ChartSeries("p99", x, [.. total.Select(p => p.P99)], Charts.Corrected),
                new ChartSeries("max", x, [.. total.Select(p => p.Max)], Charts.Uncorrected),
            ], windows: windows)}</figure>");
            var rateLines = r.Load.TargetRatePerSecond is { } rate ? new List<ChartLine> { new($"target {N(rate)}/s (mean)", rate, Charts.Target) } : null;
            sb.Append(inv, $"<figure>{Charts.TimeSeries("throughput per second", "operations/s",
                [new ChartSeries("achieved (completed/s)", x, [.. total.Select(p => (p.Count + p.Errors) / p.LengthSeconds)], Charts.Corrected)], rateLines, windows)}</figure>");
            sb.Append(inv, $"<figure>{Charts.TimeSeries("errors and drops per second", "operations",
            [
                new ChartSeries("errors", x, [.. total.Select(p => (double)p.Errors)], Charts.Target),
                new ChartSeries("dropped", x, [.. total.Select(p => (double)p.Dropped)], Charts.Baseline),
            ], windows: windows)}</figure>");
            sb.Append("</div>");
        }

        Generator(sb, r);
        Environment(sb, r);
        sb.Append("</section>");
    }

    /// <summary>The agents of a merged run: who offered what, whether each generator kept up, how far apart their clocks were.</summary>
    private static void Agents(StringBuilder sb, RunResult r)
    {
        if (r.Agents is not { Count: > 0 } agents)
        {
            return;
        }

        sb.Append(CultureInfo.InvariantCulture, $"<h3>Agents ({agents.Count})</h3><table><tr>");
        sb.Append(string.Concat(AgentColumns.All.Select(c => $"<th>{E(c.Name)}</th>")));
        sb.Append("</tr>");
        foreach (var agent in agents)
        {
            sb.Append("<tr>").Append(string.Concat(AgentColumns.All.Select(c => $"<td>{E(c.Value(agent))}</td>"))).Append("</tr>");
        }

        sb.Append("</table>");
    }

    /// <summary>The scripted faults as they happened, and the window split by them: what a game day reads first.</summary>
    private static void Faults(StringBuilder sb, RunResult r)
    {
        var inv = CultureInfo.InvariantCulture;
        if (r.Faults is not { Count: > 0 } faults)
        {
            return;
        }

        sb.Append("<h3>Faults</h3><table><tr><th>fault</th><th>target</th><th>planned</th><th>actual window</th><th>time to recover</th><th></th></tr>");
        foreach (var f in faults)
        {
            sb.Append(inv, $"<tr class=\"{(f.Error is null ? "" : "fail")}\"><td>{E(f.Action)}</td><td>{E(f.Target)}</td><td>at {N(f.AtSeconds)} s for {N(f.DurationSeconds)} s</td><td>{E(f.DescribeWindow())}</td><td>{E(f.DescribeRecovery())}</td><td>{E(f.Error ?? f.RecoveryCriterion ?? "")}</td></tr>");
        }

        sb.Append("</table>");
        if (r.Phases is { Count: > 0 } phases)
        {
            sb.Append("<table><tr><th>phase</th><th>seconds</th><th>operation</th><th>count</th><th>ops/s</th><th>errors</th><th>p50</th><th>p99</th><th>max</th></tr>");
            foreach (var phase in phases)
            {
                foreach (var o in phase.Operations.Append(phase.Total))
                {
                    var kinds = string.Join(", ", o.Errors.ByKind.Where(k => k.Value > 0).Select(k => $"{k.Value:N0} {k.Key}"));
                    sb.Append(inv, $"<tr><td>{E(phase.Phase)}</td><td>{N(phase.Seconds)}</td><td>{E(o.Name)}</td><td>{o.Count:N0}</td><td>{N(o.ThroughputPerSecond)}</td><td>{o.Errors.Total:N0}{(kinds.Length > 0 ? $" ({E(kinds)})" : "")}</td><td>{N(o.Latency.Corrected.P50)} ms</td><td>{N(o.Latency.Corrected.P99)} ms</td><td>{N(o.Latency.Corrected.Max)} ms</td></tr>");
                }
            }

            // Each fault on its own: the seconds overlapping it, and those after it until the next fault.
            foreach (var f in faults)
            {
                foreach (var phase in f.Phases)
                {
                    var o = phase.Total;
                    sb.Append(inv, $"<tr><td>{E(phase.Phase)} {E(f.Action)} {E(f.Target)} (at {N(f.AtSeconds)} s)</td><td>{N(phase.Seconds)}</td><td>total</td><td>{o.Count:N0}</td><td>{N(o.ThroughputPerSecond)}</td><td>{o.Errors.Total:N0}</td><td>{N(o.Latency.Corrected.P50)} ms</td><td>{N(o.Latency.Corrected.P99)} ms</td><td>{N(o.Latency.Corrected.Max)} ms</td></tr>");
                }
            }

            sb.Append("</table>");
        }
    }

    /// <summary>Each flow's mean end-to-end time as a bar stacked by step (plain HTML: no script, prints as it shows).</summary>
    private static void FlowShares(StringBuilder sb, RunResult r)
    {
        var inv = CultureInfo.InvariantCulture;
        string[] colours = [Charts.Corrected.ToHex(), Charts.Uncorrected.ToHex(), Charts.Third.ToHex(), Charts.Baseline.ToHex(), Charts.Target.ToHex()];
        foreach (var flow in FlowBreakdown.Of(r))
        {
            var hitRatio = flow.HitRatio is { } hit ? $", hit ratio {N(100 * hit)}%" : "";
            sb.Append(inv, $"<h3>Where {E(flow.Flow)}'s time goes</h3><p class=\"muted\">Mean {N(flow.MeanMs)} ms end to end (p99 {N(flow.P99Ms)} ms){hitRatio}. Means add up along a flow and percentiles do not: the bar splits the mean; the tails are in the tables.</p>");
            sb.Append("<div class=\"stack\" style=\"display:flex;height:28px;width:100%;border:1px solid #ccc\">");
            var parts = flow.Steps.Select((s, i) => (Name: s.Step, MeanPerFlowMs: s.MeanPerFlowMs, SharePercent: s.SharePercent, Colour: colours[i % colours.Length]))
                .Append((Name: "between steps", MeanPerFlowMs: flow.OtherMs, SharePercent: flow.MeanMs > 0 ? 100 * flow.OtherMs / flow.MeanMs : 0, Colour: "#dddddd"));
            foreach (var p in parts.Where(p => p.SharePercent > 0))
            {
                sb.Append(inv, $"<div title=\"{E(p.Name)}: {N(p.MeanPerFlowMs)} ms ({N(p.SharePercent)}%)\" style=\"width:{p.SharePercent.ToString("0.###", inv)}%;background:{p.Colour}\"></div>");
            }

            sb.Append("</div><table><tr><th>step</th><th>calls per flow</th><th>mean per flow</th><th>share</th><th>step p99</th></tr>");
            foreach (var (s, i) in flow.Steps.Select((s, i) => (s, i)))
            {
                sb.Append(inv, $"<tr><td><span style=\"color:{colours[i % colours.Length]}\">■</span> {E(s.Step)}</td><td>{N(s.CallsPerFlow)}</td><td>{N(s.MeanPerFlowMs)} ms</td><td>{N(s.SharePercent)}%</td><td>{N(s.P99Ms)} ms</td></tr>");
            }

            sb.Append("</table>");
        }
    }

    private static void Comparison(StringBuilder sb, RunComparison c)
    {
        var inv = CultureInfo.InvariantCulture;
        sb.Append(inv, $"<h3>Against the baseline {(c.Regressed ? Badge("failed", "regression") : Badge("passed", "no regression"))}</h3>");
        sb.Append(inv, $"<p class=\"muted\">Baseline {E(c.BaselineStart)}. A regression is a change beyond the tolerance that the per-second samples confirm (Mann–Whitney, α = {RunComparer.Alpha.Value}).</p>");
        sb.Append("<table><tr><th></th><th>operation</th><th>metric</th><th>baseline</th><th>current</th><th>change</th><th>tolerance</th><th>why</th></tr>");
        foreach (var m in c.Metrics.Where(m => m.Verdict != Verdicts.Info || m.Metric == "max"))
        {
            var cls = m.Verdict switch { Verdicts.Regression => "fail", Verdicts.Improvement => "better", _ => "" };
            var change = m.ChangePercent is { } p ? $"{(p >= 0 ? "+" : "")}{N(p)}%" : "";
            sb.Append(inv, $"<tr class=\"{cls}\"><td>{E(m.Verdict)}</td><td>{E(m.Operation)}</td><td>{E(m.Metric)}</td><td>{N(m.Baseline)} {E(m.Unit)}</td><td>{N(m.Current)} {E(m.Unit)}</td><td>{change}</td><td>{(m.TolerancePercent is { } t ? N(t) + (m.Metric == "errors" ? " pp" : "%") : "")}</td><td>{E(m.Reason)}</td></tr>");
        }

        sb.Append("</table>");
    }

    private static void Percentiles(StringBuilder sb, RunResult r)
    {
        var inv = CultureInfo.InvariantCulture;
        sb.Append("<table class=\"num\"><tr><th>operation</th><th>latency</th><th>count</th><th>ops/s</th><th>errors</th>");
        sb.Append(string.Concat(LatencyColumns.All.Select(c => $"<th>{c.Name}</th>"))).Append("</tr>");
        foreach (var o in r.Operations.Append(r.Total))
        {
            foreach (var (kind, l) in r.Load.CoordinatedOmissionCorrected
                ? new[] { ("corrected", o.Latency.Corrected), ("uncorrected", o.Latency.Uncorrected) }
                : [("from actual start", o.Latency.Corrected)])
            {
                var errors = o.Errors.Total == 0 ? "0" : string.Create(inv, $"{o.Errors.Total:N0} ({string.Join(", ", o.Errors.ByKind.Where(k => k.Value > 0).Select(k => string.Create(inv, $"{k.Key} {k.Value:N0}")))})");
                sb.Append(inv, $"<tr><td>{E(o.Name)}</td><td>{kind}</td><td>{o.Count:N0}</td><td>{N(o.ThroughputPerSecond)}</td><td>{E(errors)}</td>");
                sb.Append(string.Concat(LatencyColumns.All.Select(c => $"<td>{Ms(c.Value(l))}</td>"))).Append("</tr>");
            }
        }

        sb.Append("</table><p class=\"muted\">milliseconds</p>");
    }

    /// <summary>The store's own numbers (request units, rows returned) and, for request-unit stores, what to provision.</summary>
    private static void StoreMetrics(StringBuilder sb, RunResult r)
    {
        if (r.Total.Metrics is not { Count: > 0 })
        {
            return;
        }

        var inv = CultureInfo.InvariantCulture;
        sb.Append("<h3>Store metrics</h3><table class=\"num\"><tr><th>operation</th><th>metric</th><th>unit</th><th>count</th>");
        sb.Append(string.Concat(StoreMetricColumns.All.Select(c => $"<th>{c.Name}</th>"))).Append("<th>total</th><th>per second</th></tr>");
        foreach (var o in r.Operations.Append(r.Total))
        {
            foreach (var (name, m) in (o.Metrics ?? new Dictionary<string, StoreMetricSummary>()).Where(m => m.Value.Count > 0))
            {
                sb.Append(inv, $"<tr><td>{E(o.Name)}</td><td>{E(name)}</td><td>{E(m.Unit)}</td><td>{m.Count:N0}</td>{string.Concat(StoreMetricColumns.All.Select(c => $"<td>{N(c.Value(m))}</td>"))}<td>{(m.Total is { } sum ? N(sum) : "—")}</td><td>{(m.PerSecond is { } ps ? N(ps) : "—")}</td></tr>");
            }
        }

        sb.Append("</table><p class=\"muted\">percentiles per operation from an HdrHistogram (3 significant digits); total and per second from the exact sum</p>");
        if (r.RequestUnits is { } plan)
        {
            sb.Append(inv, $"<p class=\"lead\">Provision <b>{N(plan.RequestUnitsPerSecond)} RU/s</b> for {N(plan.TargetRatePerSecond)} operations/s{(plan.MonthlyCost is { } cost ? $", about {N(cost)} a month" : "")} · measured {N(plan.MeasuredRuPerOperation)} RU/operation, {N(plan.MeasuredRuPerSecond)} RU/s</p><ul>");
            foreach (var a in plan.Assumptions)
            {
                sb.Append(inv, $"<li>{E(a)}</li>");
            }

            sb.Append("</ul>");
        }
    }

    /// <summary>Why operations failed: the first message of each kind.</summary>
    private static void FirstErrors(StringBuilder sb, RunResult r)
    {
        var first = r.Operations.SelectMany(o => (o.Errors.FirstMessages ?? new Dictionary<string, string>()).Select(e => (o, e.Key, e.Value))).ToList();
        if (first.Count == 0)
        {
            return;
        }

        var inv = CultureInfo.InvariantCulture;
        sb.Append("<h3>Errors</h3><table><tr><th>operation</th><th>kind</th><th>count</th><th>first message</th></tr>");
        foreach (var (o, kind, message) in first)
        {
            sb.Append(inv, $"<tr><td>{E(o.Name)}</td><td>{E(kind)}</td><td>{o.Errors.ByKind[kind]:N0}</td><td><code>{E(message)}</code></td></tr>");
        }

        sb.Append("</table>");
    }

    private static void Generator(StringBuilder sb, RunResult r)
    {
        var g = r.Generator;
        var inv = CultureInfo.InvariantCulture;
        sb.Append(inv, $"<h3>Load generator {(g.Saturated ? Badge("invalid", "saturated") : Badge("passed", "kept up"))}</h3><table class=\"kv\">");
        if (g.Share is { } share)
        {
            Row(sb, "its share of the tail", share);
        }

        if (g.SchedulingLag is { } lag)
        {
            Row(sb, "scheduling lag", $"p50 {Ms(lag.P50)} · p99 {Ms(lag.P99)} · p99.9 {Ms(lag.P999)} · max {Ms(lag.Max)} ms (limit on p99 {Ms(g.MaxSchedulingLagP99Ms)} ms)");
        }

        Row(sb, "thread-pool delay", $"p99 {Ms(g.ThreadPoolDelay.P99)} · max {Ms(g.ThreadPoolDelay.Max)} ms (limit {Ms(g.MaxThreadPoolDelayMs)} ms)");
        Row(sb, "GC", $"pauses {N(g.GcPauseMs)} ms ({N(g.GcPausePercent)}% of the time) · collections {string.Join(" ", g.GcCollections.Select(k => $"{k.Key}:{k.Value}"))} · allocated {N(g.AllocatedMegabytes)} MB");
        Row(sb, "CPU", $"{N(g.CpuPercent)}% of {r.Environment.Cores} cores");
        foreach (var f in g.Findings)
        {
            Row(sb, "finding", f);
        }

        sb.Append("</table>");
    }

    private static void Environment(StringBuilder sb, RunResult r)
    {
        var e = r.Environment;
        var s = r.Scenario;
        sb.Append("<h3>Environment and scenario as run</h3><table class=\"kv\">");
        Row(sb, "machine", $"{e.Machine} · {e.Cores} cores · {e.Os} · {e.Architecture}");
        // Results written before the budget was reported have none: say nothing rather than "0 MB".
        var budget = e.GcGen0MaxBudgetBytes > 0
            ? string.Create(CultureInfo.InvariantCulture, $" · gen0 budget up to {e.GcGen0MaxBudgetBytes / (1024.0 * 1024):0.#} MB")
            : "";
        var precompiled = e.ReadyToRun is { } readyToRun ? $" · precompiled framework code {(readyToRun ? "on" : "off")}" : "";
        Row(sb, "runtime", $"{e.Runtime} · server GC {e.ServerGc}{budget}{precompiled} · bench {e.HarnessVersion}");
        Row(sb, "store", $"{s.Store} at {s.Target} · {e.Server} {e.ServerVersion}");
        Row(sb, "client", $"{e.ClientLibrary} {e.ClientVersion}");
        Row(sb, "scenario", $"{s.File} · seed {s.Seed}");
        Row(sb, "workload", string.Create(CultureInfo.InvariantCulture, $"{s.Keys:N0} keys, {s.KeyDistribution}, values {s.Value}"));
        Row(sb, "load", $"{s.Executor}");
        if (s.Overrides.Count > 0)
        {
            Row(sb, "overrides", string.Join("  ", s.Overrides));
        }

        Row(sb, "started", r.StartTime.ToString("u", CultureInfo.InvariantCulture));
        sb.Append("</table>");
    }

    private static void Row(StringBuilder sb, string key, string value) =>
        sb.Append(CultureInfo.InvariantCulture, $"<tr><th>{E(key)}</th><td>{E(value)}</td></tr>");

    private static string Badge(string status, string? text = null) =>
        $"<span class=\"badge {E(status)}\">{E((text ?? status).ToUpperInvariant())}</span>";

    private static string Id(string name) => "s-" + new string(name.Select(ch => char.IsLetterOrDigit(ch) ? ch : '-').ToArray());

    private static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

    private static string Ms(double ms) => Figures.Ms(ms);

    private static string N(double v) => Figures.Number(v);

    private const string Css = """
        :root{--fg:#1d2330;--muted:#667085;--line:#e4e7ec;--pass:#067647;--fail:#b42318;--warn:#b54708;--bg:#fff}
        body{font-family:"DejaVu Sans",system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg);margin:0;line-height:1.45}
        header,main{max-width:1180px;margin:0 auto;padding:0 24px}
        h1{font-size:26px;margin:24px 0 8px}h2{font-size:22px;margin:36px 0 8px;border-top:2px solid var(--line);padding-top:20px}h3{font-size:16px;margin:24px 0 8px}
        table{border-collapse:collapse;margin:8px 0;font-size:13px}th,td{border-bottom:1px solid var(--line);padding:5px 10px;text-align:left;vertical-align:top}
        table.num td:nth-child(n+3){text-align:right;font-variant-numeric:tabular-nums}table.num td.text{text-align:left}table.kv th{color:var(--muted);font-weight:normal;width:160px}
        tr.pass td:first-child{color:var(--pass);font-weight:bold}tr.fail td{color:var(--fail)}tr.fail td:first-child{font-weight:bold}tr.better td{color:var(--pass)}
        .badge{display:inline-block;font-size:12px;font-weight:bold;padding:2px 8px;border-radius:10px;color:#fff;vertical-align:middle;background:var(--muted)}
        .badge.passed{background:var(--pass)}.badge.failed{background:var(--fail)}.badge.invalid,.badge.interrupted,.badge.inconclusive{background:var(--warn)}.badge.aborted{background:var(--fail)}tr.inconclusive td{color:var(--warn)}
        .reason{margin:4px 0;color:var(--warn)}.reason.failed{color:var(--fail)}.muted{color:var(--muted)}.lead{font-size:15px}
        .charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(520px,1fr));gap:12px}figure{margin:0;border:1px solid var(--line);border-radius:6px;padding:6px}
        figure svg{width:100%;height:auto;display:block}footer{color:var(--muted);font-size:12px;margin:40px 0 24px}
        code{background:#f2f4f7;padding:1px 4px;border-radius:3px}
        """;
}
