using System.Globalization;
using System.Text;
using Benchmarks.Core.Results;

namespace Benchmarks.Reports.Exporters;

/// <summary>summary.md: the verdict, the SLA table and the percentiles, short enough for a pull-request comment.</summary>
public sealed class MarkdownSummaryExporter : SingleFileExporter<RunOutcome>
{
    public override string Name => "markdown";

    protected override string File => OutputFileNames.Summary;

    protected override string Content(RunOutcome outcome) => Render(outcome.Result);

    public static string Render(RunResult r)
    {
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        sb.AppendLine(inv, $"# {r.Scenario.Name}: {r.Status.ToUpperInvariant()}");
        sb.AppendLine();
        foreach (var reason in r.StatusReasons)
        {
            sb.AppendLine(inv, $"- {reason}");
        }

        if (r.StatusReasons.Count > 0)
        {
            sb.AppendLine();
        }

        var target = r.Load.TargetRatePerSecond is { } t ? $" of {N(t)}/s targeted" : "";
        var shape = r.Load.Concurrency is { } c ? $"{c} workers (closed model)" : $"max {r.Load.MaxInFlight} in flight";
        sb.AppendLine(inv, $"Store **{r.Scenario.Store}** ({r.Scenario.Target}; {r.Environment.Server} {r.Environment.ServerVersion}) · client {r.Environment.ClientLibrary} {r.Environment.ClientVersion}  ");
        sb.AppendLine(inv, $"Executor **{r.Load.Executor}**, {shape} · measured {N(r.DurationSeconds)} s after {N(r.WarmupSeconds)} s warm-up · started {r.StartTime:yyyy-MM-dd HH:mm:ss} UTC  ");
        sb.AppendLine(inv, $"Achieved **{N(r.Load.AchievedRatePerSecond)}/s**{target} · {r.Load.Completed:N0} completed · {r.Total.Errors.Total:N0} errors · {r.Load.Dropped:N0} dropped · keys {r.Scenario.Keys:N0} ({r.Scenario.KeyDistribution}), values {r.Scenario.Value}");
        sb.AppendLine();

        if (r.Sla.Count > 0)
        {
            sb.AppendLine("## SLA");
            sb.AppendLine();
            sb.AppendLine("| | threshold | measured | margin |");
            sb.AppendLine("|---|---|---:|---:|");
            foreach (var v in r.Sla)
            {
                var pct = v.MarginPercent is { } p ? $" ({(p >= 0 ? "+" : "")}{N(p)}%)" : "";
                sb.AppendLine(inv, $"| {v.Verdict switch { SlaOutcome.Pass => "✅ pass", SlaOutcome.Inconclusive => "❔ inconclusive", _ => "❌ fail" }} | `{v.Threshold}`{(v.Implicit ? " (implicit)" : "")} | {N(v.Measured)} {v.Unit} | {(v.Margin >= 0 ? "+" : "")}{N(v.Margin)} {v.Unit}{pct} |");
            }

            sb.AppendLine();
        }

        var corrected = r.Load.CoordinatedOmissionCorrected
            ? "corrected for coordinated omission: from each operation's intended start"
            : "closed model: from the actual start (a closed loop cannot see coordinated omission)";
        sb.AppendLine(inv, $"## Latency (ms), {corrected}");
        sb.AppendLine();
        Table(sb, r, o => o.Latency.Corrected, withCounts: true);
        if (r.Load.CoordinatedOmissionCorrected)
        {
            sb.AppendLine("## Service time (ms), uncorrected: from the actual start");
            sb.AppendLine();
            Table(sb, r, o => o.Latency.Uncorrected, withCounts: false);
        }

        if (r.Agents is { Count: > 0 } agents)
        {
            sb.AppendLine(inv, $"## Agents ({agents.Count})");
            sb.AppendLine();
            sb.AppendLine("| " + string.Join(" | ", AgentColumns.All.Select(c => c.Name)) + " |");
            sb.AppendLine("|" + string.Concat(AgentColumns.All.Select(_ => "---|")));
            foreach (var agent in agents)
            {
                sb.AppendLine("| " + string.Join(" | ", AgentColumns.All.Select(c => c.Value(agent))) + " |");
            }

            sb.AppendLine();
        }

        if (r.Faults is { Count: > 0 } faults)
        {
            sb.AppendLine("## Faults");
            sb.AppendLine();
            sb.AppendLine("| fault | target | planned | actual window | time to recover | |");
            sb.AppendLine("|---|---|---|---|---:|---|");
            foreach (var f in faults)
            {
                sb.AppendLine(inv, $"| {f.Action} | {f.Target} | at {N(f.AtSeconds)} s for {N(f.DurationSeconds)} s | {f.DescribeWindow()} | {f.DescribeRecovery()} | {f.Error ?? f.RecoveryCriterion} |");
            }

            sb.AppendLine();
            if (r.Phases is { Count: > 0 } phases)
            {
                sb.AppendLine("| phase | seconds | operation | count | ops/s | errors | p50 | p99 | max |");
                sb.AppendLine("|---|---:|---|---:|---:|---|---:|---:|---:|");
                foreach (var phase in phases)
                {
                    foreach (var o in phase.Operations.Append(phase.Total))
                    {
                        sb.AppendLine(inv, $"| {phase.Phase} | {N(phase.Seconds)} | {o.Name} | {o.Count:N0} | {N(o.ThroughputPerSecond)} | {Errors(o.Errors)} | {Ms(o.Latency.Corrected.P50)} | {Ms(o.Latency.Corrected.P99)} | {Ms(o.Latency.Corrected.Max)} |");
                    }
                }

                // Each fault on its own: the seconds overlapping it, and those after it until the next fault.
                foreach (var f in faults.Where(f => f.Phases.Count > 0))
                {
                    foreach (var phase in f.Phases)
                    {
                        var o = phase.Total;
                        sb.AppendLine(inv, $"| {phase.Phase} {f.Action} {f.Target} (at {N(f.AtSeconds)} s) | {N(phase.Seconds)} | total | {o.Count:N0} | {N(o.ThroughputPerSecond)} | {Errors(o.Errors)} | {Ms(o.Latency.Corrected.P50)} | {Ms(o.Latency.Corrected.P99)} | {Ms(o.Latency.Corrected.Max)} |");
                    }
                }

                sb.AppendLine();
            }
        }

        foreach (var flow in FlowBreakdown.Of(r))
        {
            sb.AppendLine(inv, $"## Where {flow.Flow}'s time goes (mean {Ms(flow.MeanMs)} ms end to end; p99 {Ms(flow.P99Ms)} ms{(flow.HitRatio is { } hit ? $"; hit ratio {N(100 * hit)}%" : "")})");
            sb.AppendLine();
            sb.AppendLine("Means add up along a flow and percentiles do not: the shares are of the mean; the tails are in the tables above.");
            sb.AppendLine();
            sb.AppendLine("| step | calls per flow | mean per flow (ms) | share | step p99 (ms) |");
            sb.AppendLine("|---|---:|---:|---:|---:|");
            foreach (var s in flow.Steps)
            {
                sb.AppendLine(inv, $"| {s.Step} | {N(s.CallsPerFlow)} | {Ms(s.MeanPerFlowMs)} | {N(s.SharePercent)}% | {Ms(s.P99Ms)} |");
            }

            sb.AppendLine(inv, $"| *between steps* | | {Ms(flow.OtherMs)} | {N(flow.MeanMs > 0 ? 100 * flow.OtherMs / flow.MeanMs : 0)}% | |");
            sb.AppendLine();
        }

        var firstErrors = r.Operations.SelectMany(o => (o.Errors.FirstMessages ?? new Dictionary<string, string>()).Select(e => (o, e.Key, e.Value))).ToList();
        if (firstErrors.Count > 0)
        {
            sb.AppendLine("## Errors (the first message of each kind)");
            sb.AppendLine();
            foreach (var (o, kind, message) in firstErrors)
            {
                sb.AppendLine(inv, $"- {o.Name}: {o.Errors.ByKind[kind]:N0} {kind} — `{message.Replace('`', '\'')}`");
            }

            sb.AppendLine();
        }

        if (r.Total.Metrics is { Count: > 0 } totals)
        {
            sb.AppendLine("## Store metrics (per operation: p50 / p90 / p99 / max; the workload: total and per second)");
            sb.AppendLine();
            sb.AppendLine(inv, $"| op | metric | unit |{string.Concat(StoreMetricColumns.All.Select(c => $" {c.Name} |"))} total | per s |");
            sb.AppendLine(inv, $"|---|---|---|{string.Concat(StoreMetricColumns.All.Select(_ => "---:|"))}---:|---:|");
            foreach (var o in r.Operations.Append(r.Total))
            {
                foreach (var (name, m) in (o.Metrics ?? new Dictionary<string, StoreMetricSummary>()).Where(m => m.Value.Count > 0))
                {
                    sb.AppendLine(inv, $"| {o.Name} | {name} | {m.Unit} |{string.Concat(StoreMetricColumns.All.Select(c => $" {N(c.Value(m))} |"))} {(m.Total is { } sum ? N(sum) : "—")} | {(m.PerSecond is { } ps ? N(ps) : "—")} |");
                }
            }

            sb.AppendLine();
        }

        if (r.RequestUnits is { } plan)
        {
            sb.AppendLine("## Request units: what to provision");
            sb.AppendLine();
            sb.AppendLine(inv, $"**{N(plan.RequestUnitsPerSecond)} RU/s** for {N(plan.TargetRatePerSecond)} operations/s{(plan.MonthlyCost is { } cost ? $", about {N(cost)} a month" : "")} · measured {N(plan.MeasuredRuPerOperation)} RU/operation, {N(plan.MeasuredRuPerSecond)} RU/s");
            sb.AppendLine();
            foreach (var a in plan.Assumptions)
            {
                sb.AppendLine(inv, $"- {a}");
            }

            sb.AppendLine();
        }

        var g = r.Generator;
        sb.AppendLine("## Load generator");
        sb.AppendLine();
        if (g.SchedulingLag is { } lag)
        {
            sb.AppendLine(inv, $"- scheduling lag p50 {Ms(lag.P50)} / p99 {Ms(lag.P99)} / max {Ms(lag.Max)} ms (limit on p99: {Ms(g.MaxSchedulingLagP99Ms)} ms)");
        }

        sb.AppendLine(inv, $"- thread-pool delay p99 {Ms(g.ThreadPoolDelay.P99)} / max {Ms(g.ThreadPoolDelay.Max)} ms · GC pauses {N(g.GcPauseMs)} ms ({N(g.GcPausePercent)}%), collections {string.Join(" ", g.GcCollections.Select(k => $"{k.Key}:{k.Value}"))} · CPU {N(g.CpuPercent)}% of {r.Environment.Cores} cores");
        sb.AppendLine(inv, $"- verdict: {(g.Saturated ? "**saturated**: it did not offer the intended load" : "kept up")}");
        if (g.Share is { } share)
        {
            sb.AppendLine(inv, $"- its share: {share}");
        }

        foreach (var f in g.Findings)
        {
            sb.AppendLine(inv, $"- {f}");
        }

        sb.AppendLine();
        sb.AppendLine(inv, $"<sub>{r.Environment.Machine} · {r.Environment.Cores} cores · {r.Environment.Os} · {r.Environment.Runtime} · bench {r.Environment.HarnessVersion} · seed {r.Scenario.Seed}</sub>");
        return sb.ToString();
    }

    private static void Table(StringBuilder sb, RunResult r, Func<OperationResult, LatencySummary> pick, bool withCounts)
    {
        var inv = CultureInfo.InvariantCulture;
        var percentiles = LatencyColumns.All;
        sb.Append(withCounts ? "| operation | count | ops/s | errors |" : "| operation |");
        sb.AppendLine(string.Concat(percentiles.Select(c => $" {c.Name} |")));
        sb.Append(withCounts ? "|---|---:|---:|---:|" : "|---|");
        sb.AppendLine(string.Concat(percentiles.Select(_ => "---:|")));
        foreach (var o in r.Operations.Append(r.Total))
        {
            var l = pick(o);
            var name = o.Name == "total" ? "**total**" : o.Name;
            sb.Append(withCounts ? string.Create(inv, $"| {name} | {o.Count:N0} | {N(o.ThroughputPerSecond)} | {Errors(o.Errors)} |") : $"| {name} |");
            sb.AppendLine(string.Concat(percentiles.Select(c => $" {Ms(c.Value(l))} |")));
        }

        sb.AppendLine();
    }

    private static string Errors(ErrorCounts e) =>
        e.Total == 0 ? "0" : string.Create(CultureInfo.InvariantCulture, $"{e.Total:N0} ({string.Join(", ", e.ByKind.Where(k => k.Value > 0).Select(k => string.Create(CultureInfo.InvariantCulture, $"{k.Key} {k.Value:N0}")))})");

    private static string Ms(double ms) => Figures.Ms(ms);

    private static string N(double v) => Figures.Number(v);
}
