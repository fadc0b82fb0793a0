using System.CommandLine;
using Benchmarks.Core.Running;
using Benchmarks.Reports.Exporters;
using Benchmarks.Reports.Gate;
using Benchmarks.Reports.Html;
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
        var command = new Command("report", "render summary.md, .hgrm, junit.xml and report.html again from a saved run") { result, baseline };
        command.SetAction(async (parse, _) =>
        {
            var current = await RunFiles.LoadAsync(parse.GetValue(result)!, error);
            var before = parse.GetValue(baseline) is { } b ? await RunFiles.LoadAsync(b, error) : null;
            if (current is null || (parse.GetValue(baseline) is not null && before is null))
            {
                return ExitCodes.BadInput;
            }

            var exporters = new CompositeExporter([new MarkdownSummaryExporter(), new HgrmExporter(), new JunitExporter(), new HtmlExporter()]);
            var written = exporters.Export(current).ToList();
            foreach (var failure in exporters.Failures)
            {
                await error.WriteLineAsync($"warning: {failure}");
            }

            if (before is not null)
            {
                var comparison = RunComparer.Compare(before.Result, current.Result,
                    GateTolerances.Resolve(current.Result.Scenario.Gate));
                File.WriteAllText(Path.Combine(current.OutputDirectory, HtmlReport.FileName), HtmlReport.RenderAgainstBaseline(current, before, comparison));
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
