using System.CommandLine;
using Benchmarks.Core.Results;
using Benchmarks.Core.Running;
using Benchmarks.Core.Stores;
using Benchmarks.Reports.Exporters;
using Benchmarks.Reports.Gate;
using Benchmarks.Reports.Loading;
using Benchmarks.Core.Thresholds;
using Spectre.Console;

namespace Benchmarks.Cli.Commands;

/// <summary>
/// <c>bench report RESULT [--baseline B]</c>: renders every report again from a saved result and its .hlog, without
/// rerunning. <c>bench report FOLDER --scenario S</c>: a run that never finished left only its .hlog; the reports
/// are built from it and the scenario, marked incomplete (exit 3).
/// </summary>
internal static class ReportCommand
{
    public static Command Create(IAnsiConsole console, TextWriter error, StoreCatalog catalog)
    {
        var result = new Argument<string>("result") { Description = "a result.json or the run folder holding it" };
        var baseline = new Option<string?>("--baseline") { Description = "a baseline run (result.json or folder) to draw and compare against" };
        var scenario = new Option<string?>("--scenario") { Description = "for a run that never finished (only its .hlog is left): the scenario it ran; every report is built from the .hlog, marked incomplete" };
        var command = new Command("report", "render summary.md, .hgrm, junit.xml and report.html again from a saved run (with --baseline: compare.md and compare.junit.xml too)") { result, baseline, scenario };
        command.SetAction(async (parse, _) =>
        {
            if (parse.GetValue(scenario) is { } scenarioFile)
            {
                return await RecoverAsync(parse.GetValue(result)!, scenarioFile, catalog, console, error);
            }

            var current = await RunFiles.LoadAsync(parse.GetValue(result)!, error);
            var before = parse.GetValue(baseline) is { } b ? await RunFiles.LoadAsync(b, error) : null;
            if (current is null || (parse.GetValue(baseline) is not null && before is null))
            {
                return ExitCodes.BadInput;
            }

            var exported = ExporterCatalog.Export(ExporterCatalog.Rebuilt, current, current.OutputDirectory);
            var written = exported.Written.ToList();
            var failures = exported.Failures.ToList();
            if (before is not null)
            {
                // Against a baseline the page overlays both runs (it replaces the run's own report.html), with the gate's tables beside it.
                var comparison = RunComparer.Compare(before.Result, current.Result, GateTolerances.Resolve(current.Result.Scenario.Gate));
                var compared = ExporterCatalog.Export(ExporterCatalog.Comparison, new ComparisonOutcome(comparison) { Runs = (current, before) }, current.OutputDirectory);
                written = [.. written.Union(compared.Written)];
                failures.AddRange(compared.Failures);
            }

            foreach (var failure in failures)
            {
                await error.WriteLineAsync($"warning: {failure}");
            }

            foreach (var file in written)
            {
                console.MarkupLineInterpolated($"wrote {file}");
            }

            return ExitCodes.Passed;
        });
        return command;
    }

    /// <summary>Builds every report of an unfinished run from its folder's .hlog and the scenario.</summary>
    private static async Task<int> RecoverAsync(string folder, string scenarioFile, StoreCatalog catalog, IAnsiConsole console, TextWriter error)
    {
        var scenarios = await ScenarioFiles.LoadAllAsync([scenarioFile], [], catalog, error);
        if (scenarios is not [var scenario])
        {
            return ExitCodes.BadInput;
        }

        // An inconclusive first window measured again leaves its log beside the one being rebuilt.
        var hlogs = Directory.Exists(folder) ? Directory.GetFiles(folder, "*.hlog").Where(f => !OutputFileNames.IsEarlierAttemptHlog(f)).ToArray() : [];
        if (hlogs.Length != 1)
        {
            await error.WriteLineAsync($"error: {folder}: {(hlogs.Length == 0 ? "no .hlog here" : $"{hlogs.Length} .hlog files here")}");
            await error.WriteLineAsync("give the folder of one run, which holds its one .hlog");
            return ExitCodes.BadInput;
        }

        RunOutcome outcome;
        try
        {
            outcome = HlogRecovery.Rebuild(hlogs[0], scenario, folder);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or FormatException or IndexOutOfRangeException)
        {
            await error.WriteLineAsync($"error: {hlogs[0]}: {e.Message}");
            await error.WriteLineAsync("the .hlog is not one bench wrote, or holds no complete second");
            return ExitCodes.BadInput;
        }

        var exported = ExporterCatalog.Export(ExporterCatalog.Run, outcome, folder);
        foreach (var failure in exported.Failures)
        {
            await error.WriteLineAsync($"warning: {failure}");
        }

        Output.ConsoleSummary.Write(console, outcome.Result, Path.GetFullPath(folder));
        return RunStatus.ExitCode(outcome.Result.Status);
    }
}

/// <summary>Loads saved runs for report and compare; a missing or unreadable file is bad input (exit 2), said plainly.</summary>
internal static class RunFiles
{
    public static async Task<Core.Results.RunOutcome?> LoadAsync(string path, TextWriter error)
    {
        try
        {
            return RunFolder.Load(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or System.Text.Json.JsonException or InvalidDataException or IOException)
        {
            await error.WriteLineAsync($"error: {path}: {e.Message}");
            await error.WriteLineAsync("give a result.json written by `bench run`, or the folder that holds it");
            return null;
        }
    }
}
