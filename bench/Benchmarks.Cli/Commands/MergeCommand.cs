using System.CommandLine;
using Benchmarks.Cli.Output;
using Benchmarks.Core.Agents;
using Benchmarks.Core.Executors;
using Benchmarks.Core.Results;
using Benchmarks.Core.Running;
using Benchmarks.Core.Stores;
using Benchmarks.Reports.Exporters;
using Benchmarks.Reports.Loading;
using Spectre.Console;

namespace Benchmarks.Cli.Commands;

/// <summary>
/// <c>bench merge RUN [--out DIR] [--follow]</c>: the agents of a scaled-out run as one run: histograms added exactly, SLAs
/// judged once, the reports a single run writes plus a table of the agents; a missing or unfinished agent makes the run
/// incomplete (exit 3). With --follow it watches the agents first, a merged second at a time, and stops them when an
/// abort rule fires on all of them together.
/// </summary>
internal static class MergeCommand
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    public static Command Create(IAnsiConsole console, TextWriter error, StoreCatalog catalog)
    {
        var run = new Argument<string>("run") { Description = "where the agents wrote (--out of `bench run --agent`, or its scenario's folder): " + RunLocations.Help };
        var output = new Option<string?>("--out") { Description = "where the merged reports go (default: the run's merged/ folder, in the run's location)" };
        var scenarioFile = new Option<string?>("--scenario") { Description = "the scenario the agents ran (default: the file their manifests name, with their overrides)" };
        var follow = new Option<bool>("--follow") { Description = "start before or with the agents: show the merged run each second while they run, judge the scenario's abort rules on it (and stop every agent when one fires), then merge" };
        var history = new Option<string?>("--history") { Description = "append the merged run to this history file (" + HistoryCommand.FileHelp + ")" };
        var command = new Command("merge", "merge the agents of a run into one: result.json, .hlog, report.html, summary.md, junit.xml with a table of the agents") { run, output, scenarioFile, follow, history };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (location, problem) = await RunLocations.OpenAsync(parse.GetValue(run)!, cancellationToken);
            if (location is null)
            {
                await error.WriteLineAsync($"error: {parse.GetValue(run)}: {problem}");
                return ExitCodes.BadInput;
            }

            await using (location)
            {
                var code = await MergeAsync(location, parse.GetValue(output), parse.GetValue(scenarioFile), parse.GetValue(follow), console, error, catalog, cancellationToken);
                if (code != ExitCodes.BadInput && parse.GetValue(history) is { } file && MergedResult(location, parse.GetValue(output)) is { } merged)
                {
                    await HistoryCommand.AppendAsync(file, merged.Result, merged.Folder, console, error);
                }

                return code;
            }
        });
        return command;
    }

    private static async Task<int> MergeAsync(IRunLocation location, string? output, string? scenarioFile, bool follow, IAnsiConsole console, TextWriter error,
        StoreCatalog catalog, CancellationToken cancellationToken)
    {
        await location.PullAsync("", cancellationToken);
        var folder = RunFolderOf(location.Folder);
        if (follow)
        {
            console.MarkupLineInterpolated($"waiting for the agents of {location.Description} to start");
            while ((folder = RunFolderOf(location.Folder)) is null || !FindAgents(folder).Any(a => a.Manifest is not null))
            {
                await Task.Delay(Poll, cancellationToken);
                await location.PullAsync("", cancellationToken);
            }
        }

        if (folder is null)
        {
            await error.WriteLineAsync($"error: {location.Description}: no agent folders (agent-0, agent-1, ...) here or in its one scenario folder");
            await error.WriteLineAsync("give the --out of `bench run --agent`, or the scenario folder inside it");
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
        var file = scenarioFile ?? manifest.ScenarioFile;
        var overrides = scenarioFile is null ? manifest.Overrides.Where(o => !o.EndsWith("=(redacted)", StringComparison.Ordinal)).ToList() : [];
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

        var inLocation = Path.GetRelativePath(location.Folder, folder);
        if (scenario.Load.Executor is CapacitySearch)
        {
            return await CapacitySearchAsync(follow, found, inLocation, location, output, folder, console, error, cancellationToken);
        }

        if (follow)
        {
            var progress = new ConsoleProgress(console);
            await progress.WrapAsync(() => new AgentFollow(scenario, location, inLocation, progress).FollowAsync(cancellationToken));
            await location.PullAsync(inLocation, cancellationToken);
            found = FindAgents(folder);
        }

        var count = found.Where(a => a.Manifest is not null).Max(a => a.Manifest!.Count);
        var destination = output ?? Path.Combine(folder, AgentLayout.Merged);
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

        if (output is null)
        {
            // The merged reports go where the run is.
            await location.PushAsync(Path.Combine(inLocation, AgentLayout.Merged), cancellationToken);
        }

        GitHubStepSummary.Append(MarkdownSummaryExporter.Render(outcome.Result));
        ConsoleSummary.Write(console, outcome.Result, Path.GetFullPath(destination));
        return RunStatus.ExitCode(outcome.Result.Status);
    }

    /// <summary>
    /// A capacity search's agents merged every step as they went and concluded the same search from the merged steps:
    /// the merge is any finished agent's conclusion, written as the run's.
    /// </summary>
    private static async Task<int> CapacitySearchAsync(bool follow, List<AgentInput> found, string inLocation, IRunLocation location, string? output, string folder,
        IAnsiConsole console, TextWriter error, CancellationToken cancellationToken)
    {
        if (follow)
        {
            await error.WriteLineAsync("error: --follow: a capacity search's agents merge each step among themselves; run `bench merge` once they have finished");
            return ExitCodes.BadInput;
        }

        if (found.FirstOrDefault(a => a.Result?.Capacity is not null) is not { } concluded)
        {
            await error.WriteLineAsync($"error: {folder}: no agent of this capacity search finished (none wrote its result.json)");
            return ExitCodes.Invalid;
        }

        var outcome = RunFolder.Load(concluded.Folder);
        var destination = output ?? Path.Combine(folder, AgentLayout.Merged);
        Directory.CreateDirectory(destination);
        File.Copy(Path.Combine(concluded.Folder, outcome.Result.Files.Hlog!), Path.Combine(destination, outcome.Result.Files.Hlog!), overwrite: true);
        outcome = outcome with { OutputDirectory = destination };
        foreach (var failure in ExporterCatalog.Export(ExporterCatalog.Run, outcome, destination).Failures)
        {
            await error.WriteLineAsync($"warning: {failure}");
        }

        if (output is null)
        {
            await location.PushAsync(Path.Combine(inLocation, AgentLayout.Merged), cancellationToken);
        }

        ConsoleSummary.Write(console, outcome.Result, Path.GetFullPath(destination));
        return RunStatus.ExitCode(outcome.Result.Status);
    }

    /// <summary>The merged run just written, for the history: where --out put it, or the run's merged/ folder.</summary>
    private static (RunResult Result, string Folder)? MergedResult(IRunLocation location, string? output)
    {
        var folder = output ?? (RunFolderOf(location.Folder) is { } run ? Path.Combine(run, AgentLayout.Merged) : null);
        return folder is not null && ResultJson.TryRead(Path.Combine(folder, OutputFileNames.Result)) is { } result ? (result, folder) : null;
    }

    private static List<AgentInput> FindAgents(string folder) =>
        [.. Directory.GetDirectories(folder)
            .Select(d => (Folder: d, Index: AgentLayout.IndexOf(Path.GetFileName(d))))
            .Where(d => d.Index is not null)
            .Select(d => new AgentInput(d.Index!.Value, d.Folder, AgentManifest.Read(Path.Combine(d.Folder, AgentLayout.Manifest)), ResultJson.TryRead(Path.Combine(d.Folder, OutputFileNames.Result))))
            .OrderBy(a => a.Index)];

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
}
