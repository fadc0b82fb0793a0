using System.CommandLine;
using Benchmarks.Reports.Exporters;
using Benchmarks.Reports.Gate;
using Benchmarks.Reports.Loading;
using Benchmarks.Core.Thresholds;
using Spectre.Console;

namespace Benchmarks.Cli.Commands;

/// <summary><c>bench report RESULT [--baseline B]</c>: renders every report again from a saved result and its .hlog, without rerunning.</summary>
internal static class ReportCommand
{
    public static Command Create(IAnsiConsole console, TextWriter error)
    {
        var result = new Argument<string>("result") { Description = "a result.json or the run folder holding it" };
        var baseline = new Option<string?>("--baseline") { Description = "a baseline run (result.json or folder) to draw and compare against" };
        var command = new Command("report", "render summary.md, .hgrm, junit.xml and report.html again from a saved run (with --baseline: compare.md and compare.junit.xml too)") { result, baseline };
        command.SetAction(async (parse, _) =>
        {
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
