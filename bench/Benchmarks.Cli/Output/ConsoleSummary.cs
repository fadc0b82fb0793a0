using System.Globalization;
using Benchmarks.Core.Results;
using Spectre.Console;

namespace Benchmarks.Cli.Output;

/// <summary>The end-of-run summary on the console: verdict first, then the SLA table, percentiles and the generator's health.</summary>
internal static class ConsoleSummary
{
    public static void Write(IAnsiConsole console, RunResult r, string directory)
    {
        var colour = r.Status switch
        {
            RunStatus.Passed => "green",
            RunStatus.Failed or RunStatus.Aborted => "red",
            _ => "yellow",
        };
        console.MarkupLine($"[bold {colour}]{r.Status.ToUpperInvariant()}[/] [bold]{Markup.Escape(r.Scenario.Name)}[/]");
        foreach (var reason in r.StatusReasons)
        {
            console.MarkupLineInterpolated($"  [{colour}]- {reason}[/]");
        }

        var target = r.Load.TargetRatePerSecond is { } t ? string.Create(CultureInfo.InvariantCulture, $" of {t:0.#}/s") : "";
        console.MarkupLineInterpolated(CultureInfo.InvariantCulture,
            $"  achieved {r.Load.AchievedRatePerSecond:0.#}/s{target} over {r.DurationSeconds:0.##} s · {r.Load.Completed:N0} completed · {r.Total.Errors.Total:N0} errors · {r.Load.Dropped:N0} dropped · server {r.Environment.Server} {r.Environment.ServerVersion}");

        if (r.Capacity is { } capacity)
        {
            var steps = new Table().Border(TableBorder.Rounded).Title("capacity search").AddColumns("step", "target/s", "achieved/s", "p50 ms", "p99 ms", "p99.9 ms", "errors", "dropped", "verdict");
            foreach (var s in capacity.Steps)
            {
                steps.AddRow(s.Index.ToString(CultureInfo.InvariantCulture), s.TargetRatePerSecond.ToString("0.#", CultureInfo.InvariantCulture),
                    s.AchievedRatePerSecond.ToString("0.#", CultureInfo.InvariantCulture), Figures.Ms(s.P50), Figures.Ms(s.P99), Figures.Ms(s.P999),
                    s.Errors.ToString(CultureInfo.InvariantCulture), s.Dropped.ToString(CultureInfo.InvariantCulture),
                    s.Status == RunStatus.Passed ? "[green]pass[/]" : s.Status == RunStatus.Inconclusive ? "[yellow]inconclusive[/]" : $"[red]{Markup.Escape(s.Status)}[/]");
            }

            console.Write(steps);
            console.MarkupLineInterpolated($"  [bold]{capacity.Conclusion}[/]");
            console.MarkupLineInterpolated($"  [grey]{capacity.Confidence}[/]");
            if (capacity.BoundBy is { } bound)
            {
                console.MarkupLineInterpolated($"  bounded by {bound}{(capacity.LimitingSla.Count > 0 ? $"; limiting SLA: {string.Join(", ", capacity.LimitingSla)}" : "")}");
            }

            foreach (var w in capacity.WhatIf)
            {
                var cost = (w.RequestUnitsMonthlyCost ?? w.MonthlyCost) is { } m ? $", {Figures.Number(m)} a month" : "";
                var ru = w.RequestUnitsPerSecond is { } u ? $", {Figures.Number(u)} RU/s" : "";
                console.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"  what if {Figures.Number(w.TargetRatePerSecond)}/s ({w.TargetSource}): {w.Nodes:N0} node(s){ru}{cost} with {Figures.Number(w.HeadroomPercent)}% headroom");
            }
            if (capacity.Sizing is { } sizing)
            {
                var cost = sizing.MonthlyCost is { } c ? string.Create(CultureInfo.InvariantCulture, $", {c:0.##} a month") : "";
                var ru = sizing.RequestUnitsPerSecond is { } u ? string.Create(CultureInfo.InvariantCulture, $"; Cosmos: {u:0} RU/s{(sizing.RequestUnitsMonthlyCost is { } rc ? $" ({rc:0.##} a month)" : "")}") : "";
                console.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"  sizing for {sizing.TargetRatePerSecond:0.#}/s with {sizing.HeadroomPercent:0.#}% headroom: [bold]{sizing.Nodes} node(s)[/]{cost}{ru}");
            }
        }

        if (r.Sla.Count > 0)
        {
            var sla = new Table().Border(TableBorder.Rounded).AddColumns("", "SLA", "measured", "margin");
            foreach (var v in r.Sla)
            {
                sla.AddRow(
                    v.Verdict switch { SlaOutcome.Pass => "[green]pass[/]", SlaOutcome.Inconclusive => "[yellow]?[/]", _ => "[red]FAIL[/]" },
                    Markup.Escape(v.Threshold + (v.Implicit ? " (implicit)" : "")),
                    Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{v.Measured:0.###} {v.Unit}")),
                    Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{(v.Margin >= 0 ? "+" : "")}{v.Margin:0.###} {v.Unit}")));
            }

            console.Write(sla);
        }

        var corrected = r.Load.CoordinatedOmissionCorrected;
        console.Write(LatencyTable(r, corrected ? "latency ms, corrected: from the intended start" : "latency ms (closed model: from the actual start)",
            o => o.Latency.Corrected, withCounts: true));
        if (corrected)
        {
            console.Write(LatencyTable(r, "service time ms, uncorrected: from the actual start", o => o.Latency.Uncorrected, withCounts: false));
        }

        foreach (var o in r.Operations)
        {
            foreach (var (kind, message) in o.Errors.FirstMessages ?? new Dictionary<string, string>())
            {
                console.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"  [yellow]{o.Name}: {o.Errors.ByKind[kind]:N0} {kind} errors, the first: {message}[/]");
            }
        }

        if (r.Total.Metrics is { Count: > 0 })
        {
            var metrics = new Table().Border(TableBorder.Rounded).Title("store metrics: per operation, and the workload's total")
                .AddColumns(["op", "metric", .. StoreMetricColumns.All.Select(c => c.Name), "total", "per s"]);
            foreach (var o in r.Operations.Append(r.Total))
            {
                foreach (var (name, m) in (o.Metrics ?? new Dictionary<string, StoreMetricSummary>()).Where(m => m.Value.Count > 0))
                {
                    metrics.AddRow([Markup.Escape(o.Name), Markup.Escape($"{name} ({m.Unit})"), .. StoreMetricColumns.All.Select(c => Figures.Number(c.Value(m))),
                        m.Total is { } sum ? Figures.Number(sum) : "—", m.PerSecond is { } ps ? Figures.Number(ps) : "—"]);
                }
            }

            console.Write(metrics);
        }

        if (r.Agents is { Count: > 0 } agents)
        {
            var table = new Table().Border(TableBorder.Rounded).Title("agents (count and rate from each agent's .hlog)").AddColumns([.. AgentColumns.All.Select(c => c.Name)]);
            foreach (var agent in agents)
            {
                table.AddRow([.. AgentColumns.All.Select(c => Markup.Escape(c.Value(agent)))]);
            }

            console.Write(table);
        }

        foreach (var f in r.Faults ?? [])
        {
            var inv = CultureInfo.InvariantCulture;
            var window = f.StartSeconds is null ? f.DescribeWindow() : "actual " + f.DescribeWindow();
            var recovery = f.RecoverySeconds is { } rec ? string.Create(inv, $", recovered in {Figures.Number(rec)} s ({f.RecoveryCriterion})")
                : f.EndSeconds is null ? "" : $", not recovered within the run ({f.RecoveryCriterion})";
            console.MarkupLineInterpolated(inv, $"  fault {f.Action} {f.Target}: planned at {Figures.Number(f.AtSeconds)} s for {Figures.Number(f.DurationSeconds)} s, {window}{recovery}{(f.Error is { } error ? $"; [red]{error}[/]" : "")}");
        }

        if (r.Phases is { Count: > 0 } phases)
        {
            // The total of each phase: the verdict's view of the bad minutes against the steady ones.
            console.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"  phases: {string.Join(" | ", phases.Select(p => string.Create(CultureInfo.InvariantCulture,
                $"{p.Phase} {Figures.Number(p.Seconds)} s: {p.Total.Count:N0} ok, {p.Total.Errors.Total:N0} errors, {Figures.Number(p.Total.ThroughputPerSecond)}/s, p99 {Figures.Ms(p.Total.Latency.Corrected.P99)} ms")))}");
        }

        foreach (var flow in FlowBreakdown.Of(r))
        {
            // Means add up along a flow (percentiles do not): the split of the mean says which step eats the budget.
            var steps = string.Join(" + ", flow.Steps.Select(s => $"{s.Step} {Figures.Ms(s.MeanPerFlowMs)} ({Figures.Number(s.SharePercent)}%)"));
            var hit = flow.HitRatio is { } h ? $"; hit ratio {Figures.Number(100 * h)}%" : "";
            console.MarkupLineInterpolated(CultureInfo.InvariantCulture,
                $"  {flow.Flow}: mean {Figures.Ms(flow.MeanMs)} ms = {steps} + between steps {Figures.Ms(flow.OtherMs)}{hit}");
        }

        if (r.RequestUnits is { } plan)
        {
            console.MarkupLineInterpolated(CultureInfo.InvariantCulture,
                $"  request units: {plan.MeasuredRuPerOperation:0.###} RU/operation, {plan.MeasuredRuPerSecond:N1} RU/s measured; at {plan.TargetRatePerSecond:N0}/s with {plan.HeadroomPercent:0.#}% headroom provision [bold]{plan.RequestUnitsPerSecond:N0} RU/s[/]{(plan.MonthlyCost is { } cost ? $" (about {cost:N0} a month)" : "")}");
        }

        var g = r.Generator;
        var lag = g.SchedulingLag is { } l ? string.Create(CultureInfo.InvariantCulture, $"scheduling lag p99 {Figures.Ms(l.P99)} ms (limit {Figures.Ms(g.MaxSchedulingLagP99Ms)}), ") : "";
        console.MarkupLineInterpolated(CultureInfo.InvariantCulture,
            $"  generator {(g.Saturated ? "SATURATED" : "kept up")}: {lag}thread-pool delay max {Figures.Ms(g.ThreadPoolDelay.Max)} ms, GC pauses {g.GcPauseMs:0.#} ms (longest {g.LongestGcPauseMs:0.###}), JIT {g.JitMethods} methods in {g.JitMs:0.#} ms, CPU {g.CpuPercent:0}%");
        if (g.Share is { } share)
        {
            console.MarkupLineInterpolated($"  [grey]{share}[/]");
        }

        foreach (var finding in g.Findings)
        {
            console.MarkupLineInterpolated($"  [yellow]note: {finding}[/]");
        }

        console.MarkupLineInterpolated($"  report: [bold]{directory}[/] (report.html, summary.md, result.json, junit.xml, {r.Files.Hlog}, *.hgrm)");
    }


    private static Table LatencyTable(RunResult r, string title, Func<OperationResult, LatencySummary> pick, bool withCounts)
    {
        var table = new Table().Border(TableBorder.Rounded).Title(title).AddColumn("op");
        if (withCounts)
        {
            table.AddColumns("count", "ops/s", "errors");
        }

        foreach (var column in LatencyColumns.All)
        {
            table.AddColumn(new TableColumn(column.Name).RightAligned());
        }

        foreach (var o in r.Operations.Append(r.Total))
        {
            var l = pick(o);
            var cells = new List<string> { Markup.Escape(o.Name) };
            if (withCounts)
            {
                cells.Add(o.Count.ToString("N0", CultureInfo.InvariantCulture));
                cells.Add(o.ThroughputPerSecond.ToString("0.#", CultureInfo.InvariantCulture));
                cells.Add(o.Errors.Total.ToString("N0", CultureInfo.InvariantCulture));
            }

            cells.AddRange(LatencyColumns.All.Select(c => Figures.Ms(c.Value(l))));
            table.AddRow(cells.ToArray());
        }

        return table;
    }
}
