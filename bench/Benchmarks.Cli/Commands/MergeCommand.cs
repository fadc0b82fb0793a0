using System.CommandLine;
using Benchmarks.Cli.Output;
using Benchmarks.Core.Agents;
using Benchmarks.Core.Results;
using Benchmarks.Core.Running;
using Benchmarks.Core.Stores;
using Benchmarks.Reports.Exporters;
using Spectre.Console;

namespace Benchmarks.Cli.Commands;

/// <summary>
/// <c>bench merge RUN [--out DIR]</c>: the agents of a scaled-out run as one run: histograms added exactly, SLAs judged once,
/// the reports a single run writes plus a table of the agents; a missing or unfinished agent makes the run incomplete (exit 3).
/// </summary>
internal static class MergeCommand
{
    public static Command Create(IAnsiConsole console, TextWriter error, StoreCatalog catalog)
    {
        var run = new Argument<string>("run") { Description = "the run folder the agents wrote under (--out of `bench run --agent`, or its scenario's folder)" };
        var output = new Option<string?>("--out") { Description = "where the merged reports go (default RUN/merged)" };
        var scenarioFile = new Option<string?>("--scenario") { Description = "the scenario the agents ran (default: the file their manifests name, with their overrides)" };
        var follow = new Option<bool>("--follow") { Description = "start before or with the agents: show the merged run each second while they run, judge the scenario's abort rules on it (and stop every agent when one fires), then merge" };
        var command = new Command("merge", "merge the agents of a run into one: result.json, .hlog, report.html, summary.md, junit.xml with a table of the agents") { run, output, scenarioFile, follow };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var folder = RunFolderOf(parse.GetValue(run)!);
            if (parse.GetValue(follow))
            {
                console.MarkupLineInterpolated($"waiting for the agents of {parse.GetValue(run)} to start");
                while ((folder = RunFolderOf(parse.GetValue(run)!)) is null || !HasManifest(folder))
                {
                    await Task.Delay(250, cancellationToken);
                }
            }

            if (folder is null)
            {
                await error.WriteLineAsync($"error: {parse.GetValue(run)}: no agent folders (agent-0, agent-1, ...) here or in its one scenario folder");
                await error.WriteLineAsync("give the --out folder of `bench run --agent`, or the scenario folder inside it");
                return ExitCodes.BadInput;
            }

            var found = FindAgents(folder);
            var manifest = found.Select(a => a.Manifest).FirstOrDefault(m => m is not null);
            if (manifest is null)
            {
                await error.WriteLineAsync($"error: {folder}: no agent wrote its manifest ({AgentLayout.Manifest}): no agent started measuring");
                return ExitCodes.BadInput;
            }

            // Secret overrides were recorded without their value; the merge needs none (it connects to nothing).
            var file = parse.GetValue(scenarioFile) ?? manifest.ScenarioFile;
            var overrides = parse.GetValue(scenarioFile) is null ? manifest.Overrides.Where(o => !o.EndsWith("=(redacted)", StringComparison.Ordinal)).ToList() : [];
            if (!File.Exists(file))
            {
                await error.WriteLineAsync($"error: the scenario {file} is not here");
                await error.WriteLineAsync("pass --scenario with the file the agents ran");
                return ExitCodes.BadInput;
            }

            var scenarios = await ScenarioFiles.LoadAllAsync([file], overrides, catalog, error);
            if (scenarios is not [var scenario])
            {
                return ExitCodes.BadInput;
            }

            if (parse.GetValue(follow))
            {
                var progress = new ConsoleProgress(console);
                await progress.WrapAsync(() => new AgentFollow(scenario, folder, progress).FollowAsync(cancellationToken));
                found = FindAgents(folder);
            }

            var count = found.Where(a => a.Manifest is not null).Max(a => a.Manifest!.Count);
            var destination = parse.GetValue(output) ?? Path.Combine(folder, AgentLayout.Merged);
            RunOutcome outcome;
            try
            {
                outcome = AgentMerge.Merge(scenario, count, found, destination);
            }
            catch (Exception e) when (e is InvalidDataException or IOException or FormatException)
            {
                await error.WriteLineAsync($"error: {folder}: {e.Message}");
                return ExitCodes.BadInput;
            }

            foreach (var failure in ExporterCatalog.Export(ExporterCatalog.Run, outcome, destination).Failures)
            {
                await error.WriteLineAsync($"warning: {failure}");
            }

            GitHubStepSummary.Append(MarkdownSummaryExporter.Render(outcome.Result));
            ConsoleSummary.Write(console, outcome.Result, Path.GetFullPath(destination));
            return RunStatus.ExitCode(outcome.Result.Status);
        });
        return command;
    }

    private static List<AgentInput> FindAgents(string folder) =>
        [.. Directory.GetDirectories(folder)
            .Select(d => (Folder: d, Index: AgentLayout.IndexOf(Path.GetFileName(d))))
            .Where(d => d.Index is not null)
            .Select(d => new AgentInput(d.Index!.Value, d.Folder, AgentManifest.Read(Path.Combine(d.Folder, AgentLayout.Manifest)), ReadResult(d.Folder)))
            .OrderBy(a => a.Index)];

    private static bool HasManifest(string folder) => FindAgents(folder).Any(a => a.Manifest is not null);

    /// <summary>The folder holding agent-i folders: the one given, or its only subfolder that holds them.</summary>
    private static string? RunFolderOf(string path)
    {
        static bool HoldsAgents(string folder) => Directory.GetDirectories(folder).Any(d => AgentLayout.IndexOf(Path.GetFileName(d)) is not null);

        if (!Directory.Exists(path))
        {
            return null;
        }

        if (HoldsAgents(path))
        {
            return path;
        }

        var inside = Directory.GetDirectories(path).Where(HoldsAgents).ToList();
        return inside.Count == 1 ? inside[0] : null;
    }

    /// <summary>An agent's result.json; null when it did not finish (or its result cannot be read, which the merge then treats the same).</summary>
    private static RunResult? ReadResult(string folder)
    {
        var path = Path.Combine(folder, OutputFileNames.Result);
        try
        {
            return File.Exists(path) ? ResultJson.Read(path) : null;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidDataException or IOException)
        {
            return null;
        }
    }
}
