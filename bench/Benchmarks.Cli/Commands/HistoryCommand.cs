using System.CommandLine;
using Benchmarks.Core.Results;
using Benchmarks.Core.Thresholds;
using Benchmarks.Reports.History;
using Benchmarks.Reports.Html;
using DuckDB.NET.Data;
using Spectre.Console;

namespace Benchmarks.Cli.Commands;

/// <summary>
/// <c>bench history SCENARIO --file FILE [--last N] [--baseline K]</c>: a scenario's runs from the history file, oldest
/// first, each against the rolling baseline of the K completed runs before it; a table here and a self-contained HTML
/// page. Exit 1 when the latest run is flagged (a gate on the trend), 0 otherwise, 2 on bad input.
/// </summary>
internal static class HistoryCommand
{
    public static readonly string FileHelp = "the run history, a DuckDB file (created on the first run appended)";

    public static Command Create(IAnsiConsole console, TextWriter error)
    {
        var scenario = new Argument<string>("scenario") { Description = "the scenario's name (as in result.json)" };
        var file = new Option<string>("--file") { Description = FileHelp, Required = true };
        var last = new Option<int>("--last") { Description = "how many of the latest runs to show", DefaultValueFactory = _ => 20 };
        var baseline = new Option<int>("--baseline") { Description = "how many completed runs before each make its rolling baseline (their median)", DefaultValueFactory = _ => HistoryTrend.DefaultBaselineRuns };
        var tolerance = new Option<string[]>("--tolerance") { Description = "metric=percent, e.g. --tolerance p99=20% (repeatable); " + GateTolerances.Hint };
        var output = new Option<string?>("--out") { Description = "the HTML page (default history-<scenario>.html here)" };
        var command = new Command("history", "a scenario's runs from a history file: the trend, and the runs the gate flags against a rolling baseline") { scenario, file, last, baseline, tolerance, output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            var name = parse.GetValue(scenario)!;
            if (parse.GetValue(last) < 1 || parse.GetValue(baseline) < 1)
            {
                await error.WriteLineAsync("error: --last and --baseline count runs: give 1 or more");
                return ExitCodes.BadInput;
            }

            var overrides = await CompareCommand.ParseTolerancesAsync(parse.GetValue(tolerance) ?? [], GateTolerances.Metrics, GateTolerances.Hint, error);
            if (overrides is null)
            {
                return ExitCodes.BadInput;
            }

            if (!File.Exists(path))
            {
                await error.WriteLineAsync($"error: --file {path}: no such file (runs are appended to it by `bench run --history {path}`)");
                return ExitCodes.BadInput;
            }

            IReadOnlyList<HistoryRun> runs;
            try
            {
                runs = RunHistory.Read(path, name, parse.GetValue(last));
            }
            catch (DuckDBException e)
            {
                await error.WriteLineAsync($"error: --file {path}: not a run history ({e.Message.Split('\n')[0]})");
                return ExitCodes.BadInput;
            }

            if (runs.Count == 0)
            {
                var known = RunHistory.Scenarios(path);
                await error.WriteLineAsync($"error: {path} has no run of '{name}'" + (known.Count > 0 ? $"; it has: {string.Join(", ", known.Select(k => $"{k.Scenario} ({k.Runs})"))}" : "; it is empty"));
                return ExitCodes.BadInput;
            }

            var k = parse.GetValue(baseline);
            var points = HistoryTrend.Of(runs, k, GateTolerances.Resolve(overrides));
            Print(console, name, points, k);
            var page = parse.GetValue(output) ?? $"history-{name}.html";
            await File.WriteAllTextAsync(page, HtmlReport.RenderHistory(name, points, k), cancellationToken);
            console.MarkupLineInterpolated($"trend page: [bold]{Path.GetFullPath(page)}[/]");
            return points[^1].Flagged ? ExitCodes.SlaFailed : ExitCodes.Passed;
        });
        return command;
    }

    /// <summary>Appends a finished run to the history file, when one was given; a failure to do so is said, and the run's own exit code stands.</summary>
    public static async Task AppendAsync(string? file, RunResult result, string resultFolder, IAnsiConsole console, TextWriter error)
    {
        if (file is null)
        {
            return;
        }

        try
        {
            var sequence = RunHistory.Append(file, result, Path.GetFullPath(Path.Combine(resultFolder, OutputFileNames.Result)), RunHistory.CurrentCommit());
            console.MarkupLineInterpolated($"  history: run {sequence} of [bold]{Path.GetFullPath(file)}[/]");
        }
        catch (Exception e) when (e is DuckDBException or IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"warning: --history {file}: the run was not appended ({e.Message.Split('\n')[0]}); its reports are written");
        }
    }

    private static void Print(IAnsiConsole console, string scenario, IReadOnlyList<TrendPoint> points, int baselineRuns)
    {
        var table = new Table().Border(TableBorder.Rounded).Title($"{scenario}: {points.Count} runs, oldest first")
            .AddColumns("run", "started (UTC)", "commit", "status", "achieved /s", "p50 ms", "p99 ms", "p99.9 ms", "errors", $"against the median of {baselineRuns} before");
        foreach (var p in points)
        {
            var r = p.Run;
            var changes = p.BaselineRuns == 0 ? "no baseline yet" : string.Join(", ", p.Figures.Where(f => f.Baseline is not null)
                .Select(f => $"{(f.Regressed ? "[red bold]" : "")}{f.Metric} {(f.ChangePercent >= 0 ? "+" : "")}{Figures.Number(f.ChangePercent!.Value)}%{(f.Regressed ? "[/]" : "")}"));
            table.AddRow(
                new Text(r.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new Text(r.StartTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture)),
                new Text(r.Commit is { Length: > 10 } c ? c[..10] : r.Commit ?? "—"),
                new Text(r.Status),
                new Text(Figures.Number(r.AchievedRate)),
                new Text(Figures.Ms(r.Total.P50)), new Text(Figures.Ms(r.Total.P99)), new Text(Figures.Ms(r.Total.P999)),
                new Text(Figures.Number(r.Total.Errors)),
                new Markup((p.Flagged ? "[red bold]FLAGGED[/] " : "") + changes));
        }

        console.Write(table);
    }
}
