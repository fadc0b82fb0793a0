using System.CommandLine;
using System.Globalization;
using Benchmarks.Cli.Output;
using Benchmarks.Core.Agents;
using Benchmarks.Core.Live;
using Benchmarks.Core.Parsing;
using Benchmarks.Core.Results;
using Benchmarks.Core.Running;
using Benchmarks.Core.Scenarios;
using Benchmarks.Core.Stores;
using Benchmarks.Reports.Exporters;
using Spectre.Console;

namespace Benchmarks.Cli.Commands;

internal static class RunCommand
{
    public static Command Create(IAnsiConsole console, TextWriter error, StoreCatalog catalog)
    {
        var files = new Argument<string[]>("scenario") { Arity = ArgumentArity.OneOrMore, Description = "scenario files (.yaml), run one after the other" };
        var output = new Option<string?>("--out") { Description = "output folder (default reports/<timestamp>); each scenario writes into <out>/<name>/; with --agent, " + RunLocations.Help };
        var set = new Option<string[]>("--set") { Description = "override a value: --set load.rate=8000/s (repeatable)" };
        var agent = new Option<string?>("--agent") { Description = "run agent i's share of N agents (i from 0): its slice of the schedule or its share of the workers; all agents write under --out, then `bench merge` makes one run of them" };
        var startAt = new Option<DateTimeOffset?>("--start-at") { Description = "with --agent: the UTC instant every agent starts at (ISO 8601, e.g. 2026-12-02T14:30:00Z)" };
        var history = new Option<string?>("--history") { Description = "append every run to this history file (" + HistoryCommand.FileHelp + "); `bench history` shows the trend" };
        var command = new Command("run", "run scenarios and check their SLAs (exit 0 passed, 1 SLA failed, 2 bad input, 3 invalid run, 4 inconclusive)") { files, output, set, agent, startAt, history };
        var live = new LiveOptions();
        live.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var overrides = parse.GetValue(set) ?? [];
            var scenarios = await ScenarioFiles.LoadAllAsync(parse.GetValue(files)!, overrides, catalog, error);
            if (scenarios is null)
            {
                return ExitCodes.BadInput;
            }

            if (parse.GetValue(agent) is not null && parse.GetValue(history) is not null)
            {
                await error.WriteLineAsync("error: --history with --agent: an agent runs a share of the run; append the merged run (`bench merge RUN --history FILE`)");
                return ExitCodes.BadInput;
            }

            var (export, linger, liveProblem) = live.Start(parse);
            if (liveProblem is not null)
            {
                await error.WriteLineAsync($"error: {liveProblem}");
                await error.WriteLineAsync("nothing was run");
                return ExitCodes.BadInput;
            }

            using (export)
            {
                if (export is not null)
                {
                    console.MarkupLineInterpolated($"live metrics: {export.Description}");
                }

                var sinks = new RunSinks(export?.Metrics, parse.GetValue(history));
                var code = parse.GetValue(agent) is { } agentText
                    ? await AgentCommand.RunAsync(agentText, parse.GetValue(startAt), parse.GetValue(output), scenarios, overrides, console, error, catalog, sinks, cancellationToken)
                    : await RunAllAsync(scenarios, parse.GetValue(output), overrides, console, error, catalog, sinks, cancellationToken);
                if (linger > TimeSpan.Zero && !cancellationToken.IsCancellationRequested)
                {
                    // A scraper polls: the last seconds are only seen if the endpoint is still there at its next scrape.
                    console.MarkupLineInterpolated($"serving the live metrics for {Units.FormatDuration(linger)} more (--metrics-linger) so the last seconds are scraped");
                    try
                    {
                        await Task.Delay(linger, cancellationToken);
                    }
                    catch (OperationCanceledException)
                    {
                        // Ctrl-C ends the wait, not the run's exit code.
                    }
                }

                return code;
            }
        });
        return command;
    }

    private static async Task<int> RunAllAsync(IReadOnlyList<Scenario> scenarios, string? output, IReadOnlyList<string> overrides, IAnsiConsole console, TextWriter error,
        StoreCatalog catalog, RunSinks sinks, CancellationToken cancellationToken)
    {
        var root = output ?? Path.Combine("reports", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
        if (OutputFolderProblem(root) is { } problem)
        {
            await error.WriteLineAsync($"error: --out {root}: {problem}");
            await error.WriteLineAsync("hint: pass --out with a folder you can write to; nothing was run");
            return ExitCodes.BadInput;
        }

        var codes = new List<int>();
        var outcomes = new List<RunOutcome>();
        foreach (var scenario in scenarios)
        {
            var (code, outcome) = await RunOneAsync(scenario, Path.Combine(root, scenario.Name), overrides, console, error, catalog, sinks, cancellationToken);
            codes.Add(code);
            if (outcome is not null)
            {
                outcomes.Add(outcome);
            }

            if (cancellationToken.IsCancellationRequested)
            {
                break;
            }
        }

        if (scenarios.Count > 1)
        {
            // One page for the suite, a section per scenario.
            foreach (var failure in ExporterCatalog.Export(ExporterCatalog.Suite, new SuiteOutcome($"bench suite: {outcomes.Count} scenarios", outcomes), root).Failures)
            {
                await error.WriteLineAsync($"warning: {failure}");
            }

            console.MarkupLineInterpolated($"Reports of all {scenarios.Count} scenarios: [bold]{Path.GetFullPath(root)}[/] (report.html)");
        }

        return ExitCodes.Worst(codes);
    }

    /// <summary>Checks before any load that the reports can be written: a run whose results cannot be kept is bad input, not a crash at the end.</summary>
    internal static string? OutputFolderProblem(string root)
    {
        try
        {
            Directory.CreateDirectory(root);
            var probe = Path.Combine(root, $".bench-write-check-{Environment.ProcessId}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return $"cannot write there ({e.Message})";
        }
    }

    internal static async Task<(int Code, RunOutcome? Outcome)> RunOneAsync(Scenario scenario, string directory, IReadOnlyList<string> overrides, IAnsiConsole console,
        TextWriter error, StoreCatalog catalog, RunSinks sinks, CancellationToken cancellationToken, AgentRun? agent = null)
    {
        console.MarkupLineInterpolated($"[bold]{scenario.Name}[/] · {scenario.Store.Kind} ({scenario.Store.RedactedTarget}) · {scenario.Load.Executor.Name} {ValidateCommand.Describe(scenario.Load)}");
        var progress = new ConsoleProgress(console);
        RunOutcome outcome;
        try
        {
            outcome = await progress.WrapAsync(() => new ScenarioRunner(catalog).RunAsync(scenario, new RunOptions(directory, overrides, progress) { Agent = agent, Live = sinks.Live }, cancellationToken));
        }
        catch (AgentLateException e)
        {
            await error.WriteLineAsync($"error: {scenario.Name}: {e.Message}");
            await error.WriteLineAsync("this agent did not run (exit code 3); the merge will name it missing");
            return (ExitCodes.Invalid, null);
        }
        catch (StoreUnavailableException e)
        {
            await error.WriteLineAsync($"error: {scenario.Name}: the store is unavailable: {e.Message}");
            await error.WriteLineAsync("the run is invalid (exit code 3): start the store, or check store.connection in the scenario");
            return (ExitCodes.Invalid, null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync($"{scenario.Name}: cancelled before measurement started; nothing was written");
            return (ExitCodes.Invalid, null);
        }

        var exported = ExporterCatalog.Export(ExporterCatalog.Run, outcome, outcome.OutputDirectory);
        foreach (var failure in exported.Failures)
        {
            await error.WriteLineAsync($"warning: {failure}");
        }

        GitHubStepSummary.Append(MarkdownSummaryExporter.Render(outcome.Result));
        ConsoleSummary.Write(console, outcome.Result, Path.GetFullPath(directory));
        await HistoryCommand.AppendAsync(sinks.HistoryFile, outcome.Result, outcome.OutputDirectory, console, error);
        return (RunStatus.ExitCode(outcome.Result.Status), outcome);
    }
}

/// <summary>Where a run's data goes besides its reports: live export (null: none) and the history file (null: none).</summary>
internal sealed record RunSinks(LiveMetrics? Live, string? HistoryFile);
