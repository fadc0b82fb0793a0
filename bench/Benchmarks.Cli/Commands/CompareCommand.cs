using System.CommandLine;
using System.Globalization;
using Benchmarks.Cli.Output;
using Benchmarks.Core.Thresholds;
using Benchmarks.Reports.Exporters;
using Benchmarks.Reports.Gate;
using Benchmarks.Reports.Micro;
using Spectre.Console;

namespace Benchmarks.Cli.Commands;

/// <summary>
/// <c>bench compare BASELINE CURRENT</c>: the regression gate. Exit 1 when a metric regressed (beyond its
/// tolerance and significantly), 0 otherwise, 2 on bad input.
/// </summary>
internal static class CompareCommand
{
    public static Command Create(IAnsiConsole console, TextWriter error)
    {
        var baseline = new Argument<string>("baseline") { Description = "baseline: a run (result.json or its folder) or a BenchmarkDotNet full JSON export" };
        var current = new Argument<string>("current") { Description = "current: of the same kind as the baseline" };
        var tolerance = new Option<string[]>("--tolerance") { Description = "metric=percent, e.g. --tolerance p99=20% (repeatable); " + GateTolerances.Hint };
        var output = new Option<string?>("--out") { Description = "where compare.md, compare.junit.xml and report.html go (default: the current run's folder)" };
        var command = new Command("compare", "compare a run with a baseline and fail on significant regressions") { baseline, current, tolerance, output };
        command.SetAction(async (parse, _) =>
        {
            if (MicroBenchmarkResults.IsBenchmarkDotNetJson(parse.GetValue(baseline)!) || MicroBenchmarkResults.IsBenchmarkDotNetJson(parse.GetValue(current)!))
            {
                return await CompareMicroAsync(parse.GetValue(baseline)!, parse.GetValue(current)!, parse.GetValue(tolerance) ?? [], parse.GetValue(output), console, error);
            }

            var overrides = await ParseTolerancesAsync(parse.GetValue(tolerance) ?? [], GateTolerances.Metrics, GateTolerances.Hint, error);
            var before = await RunFiles.LoadAsync(parse.GetValue(baseline)!, error);
            var after = await RunFiles.LoadAsync(parse.GetValue(current)!, error);
            if (overrides is null || before is null || after is null)
            {
                return ExitCodes.BadInput;
            }

            if (before.Result.Scenario.Name != after.Result.Scenario.Name)
            {
                await error.WriteLineAsync($"error: the baseline is scenario '{before.Result.Scenario.Name}' and the current run '{after.Result.Scenario.Name}': compare runs of one scenario");
                return ExitCodes.BadInput;
            }

            var comparison = RunComparer.Compare(before.Result, after.Result, GateTolerances.Resolve(after.Result.Scenario.Gate, overrides));
            var folder = parse.GetValue(output) ?? after.OutputDirectory;
            Directory.CreateDirectory(folder);
            return await ReportAsync(new ComparisonOutcome(comparison) { Runs = (after, before) }, folder, console, error);
        });
        return command;
    }

    /// <summary>The same gate over BenchmarkDotNet full JSON exports (time from the per-iteration measurements, allocation per operation).</summary>
    private static async Task<int> CompareMicroAsync(string baselinePath, string currentPath, string[] settings, string? output, IAnsiConsole console, TextWriter error)
    {
        var overrides = await ParseTolerancesAsync(settings, [.. MicroComparer.Defaults.Keys], "metrics of BenchmarkDotNet results: time, allocated", error);
        foreach (var path in new[] { baselinePath, currentPath }.Where(p => !MicroBenchmarkResults.IsBenchmarkDotNetJson(p)))
        {
            await error.WriteLineAsync($"error: {path} is not a BenchmarkDotNet full JSON export (*-report-full.json); compare two exports, or two runs");
            overrides = null;
        }

        if (overrides is null)
        {
            return ExitCodes.BadInput;
        }

        var (_, before) = MicroBenchmarkResults.Load(baselinePath);
        var (title, after) = MicroBenchmarkResults.Load(currentPath);
        var comparison = MicroComparer.Compare(title, before, after, overrides);
        var folder = output ?? Path.GetDirectoryName(Path.GetFullPath(currentPath))!;
        Directory.CreateDirectory(folder);
        return await ReportAsync(new ComparisonOutcome(comparison) { Micro = (title, after) }, folder, console, error);
    }

    /// <summary>Writes the comparison's reports, adds the table to a GitHub job summary, prints it; the exit code is the gate's.</summary>
    private static async Task<int> ReportAsync(ComparisonOutcome outcome, string folder, IAnsiConsole console, TextWriter error)
    {
        var exported = ExporterCatalog.Export(ExporterCatalog.Comparison, outcome, folder);
        foreach (var failure in exported.Failures)
        {
            await error.WriteLineAsync($"warning: {failure}");
        }

        GitHubStepSummary.Append(ComparisonMarkdown.Render(outcome.Comparison));
        ComparisonConsole.Write(console, outcome.Comparison);
        console.MarkupLineInterpolated($"  report: [bold]{Path.GetFullPath(folder)}[/] ({string.Join(", ", exported.Written.Select(Path.GetFileName))})");
        return outcome.Comparison.Regressed ? ExitCodes.SlaFailed : ExitCodes.Passed;
    }

    internal static async Task<Dictionary<string, double>?> ParseTolerancesAsync(string[] settings, IReadOnlyCollection<string> metrics, string hint, TextWriter error)
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        var ok = true;
        foreach (var setting in settings)
        {
            var eq = setting.IndexOf('=', StringComparison.Ordinal);
            var metric = eq > 0 ? setting[..eq].Trim() : setting;
            if (eq <= 0 || !metrics.Contains(metric))
            {
                await error.WriteLineAsync($"error: --tolerance {setting}: '{metric}' is not a metric the gate knows ({hint})");
                ok = false;
            }
            else if (!GateTolerances.TryParse(metric, setting[(eq + 1)..], out var value))
            {
                await error.WriteLineAsync($"error: --tolerance {setting}: '{setting[(eq + 1)..]}' is not {GateTolerances.Expected(metric)}");
                ok = false;
            }
            else
            {
                result[metric] = value;
            }
        }

        return ok ? result : null;
    }
}

internal static class ComparisonConsole
{
    public static void Write(IAnsiConsole console, RunComparison c)
    {
        console.MarkupLine(c.Regressed ? $"[bold red]REGRESSION[/] [bold]{Markup.Escape(c.Scenario)}[/]" : $"[bold green]NO REGRESSION[/] [bold]{Markup.Escape(c.Scenario)}[/]");
        var table = new Table().Border(TableBorder.Rounded).AddColumns("", "op", "metric", "baseline", "current", "change", "tolerance", "why");
        foreach (var m in c.Metrics.Where(m => m.Verdict != Verdicts.Info))
        {
            var colour = m.Verdict switch { Verdicts.Regression => "red", Verdicts.Improvement => "green", _ => "default" };
            table.AddRow(
                $"[{colour}]{m.Verdict}[/]", Markup.Escape(m.Operation), Markup.Escape(m.Metric),
                Markup.Escape(Fmt(m.Baseline) + " " + m.Unit), Markup.Escape(Fmt(m.Current) + " " + m.Unit),
                m.ChangePercent is { } p ? Markup.Escape($"{(p >= 0 ? "+" : "")}{Fmt(p)}%") : "",
                m.TolerancePercent is { } t ? Markup.Escape(Fmt(t) + (m.Metric == "errors" ? " pp" : "%")) : "",
                Markup.Escape(m.Reason));
        }

        console.Write(table);
    }

    private static string Fmt(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
}
