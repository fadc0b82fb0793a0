using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Benchmarks.Core.Results;
using Benchmarks.Core.Scenarios;
using Benchmarks.Core.Stores;
using Benchmarks.Reports.Overhead;
using Spectre.Console;

namespace Benchmarks.Cli.Commands;

/// <summary>
/// <c>bench client-overhead</c>: the same scenario through the store's client library (StackExchange.Redis, Npgsql)
/// and through the harness's lean client of the same protocol, in alternating rounds, and what the library adds to
/// each percentile (<see cref="ClientOverhead"/>).
/// </summary>
internal static class ClientOverheadCommand
{
    private const string Baseline = "lean";

    /// <summary>The kinds with a lean client, and the <c>store.client</c> value of each one's library.</summary>
    private static readonly Dictionary<string, string> Libraries = new(StringComparer.Ordinal) { ["redis"] = "stackexchange", ["postgres"] = "npgsql" };

    public static Command Create(IAnsiConsole console, TextWriter error, StoreCatalog catalog)
    {
        var file = new Argument<string>("scenario") { Description = "a Redis or PostgreSQL scenario file (.yaml); its store.client is set by the command" };
        var output = new Option<string?>("--out") { Description = "output folder (default reports/<timestamp>-client-overhead): client-overhead.md and .json, and each run's reports under round-N/<client>/" };
        var set = new Option<string[]>("--set") { Description = "override a value: --set load.rate=5000/s (repeatable)" };
        var rounds = new Option<int>("--rounds") { Description = "rounds of one run per client, alternating which goes first (default 2); each figure is the median of the rounds", DefaultValueFactory = _ => 2 };
        var command = new Command("client-overhead", "run a Redis or PostgreSQL scenario through its client library (StackExchange.Redis, Npgsql) and the lean client and report what the client library adds to each percentile (exit 0, 2 bad input, 3 a run was invalid)") { file, output, set, rounds };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            var overrides = parse.GetValue(set) ?? [];
            if (parse.GetValue(rounds) is var count && count is < 1 or > 20)
            {
                await error.WriteLineAsync($"error: --rounds {count}: give 1 to 20 rounds; nothing was run");
                return ExitCodes.BadInput;
            }

            if (await ScenarioFiles.LoadAllAsync([path], overrides, catalog, error) is not [var scenario])
            {
                return ExitCodes.BadInput;
            }

            if (!Libraries.TryGetValue(scenario.Store.Kind, out var library))
            {
                await error.WriteLineAsync($"error: {path}: client-overhead compares the clients of {string.Join(" and ", Libraries.Select(l => $"{l.Key} (store.client: {l.Value} | {Baseline})"))}; this scenario's store is {scenario.Store.Kind}; nothing was run");
                return ExitCodes.BadInput;
            }

            var throughClient = await ScenarioFiles.LoadAllAsync([path], [.. overrides, $"store.client={library}"], catalog, error);
            var throughBaseline = await ScenarioFiles.LoadAllAsync([path], [.. overrides, $"store.client={Baseline}"], catalog, error);
            if (throughClient is not [var clientScenario] || throughBaseline is not [var baselineScenario])
            {
                return ExitCodes.BadInput;
            }

            var root = parse.GetValue(output) ?? Path.Combine("reports", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-client-overhead");
            if (RunCommand.OutputFolderProblem(root) is { } problem)
            {
                await error.WriteLineAsync($"error: --out {root}: {problem}");
                return ExitCodes.BadInput;
            }

            var runs = new Dictionary<string, List<RunResult>> { [library] = [], [Baseline] = [] };
            for (var round = 1; round <= count; round++)
            {
                // Alternating which client goes first, so that a machine that drifts (warms, throttles) favours neither.
                (string Name, Scenario Scenario)[] order = round % 2 == 1
                    ? [(Baseline, baselineScenario), (library, clientScenario)]
                    : [(library, clientScenario), (Baseline, baselineScenario)];
                foreach (var (name, each) in order)
                {
                    var (code, outcome) = await RunCommand.RunOneAsync(each, Path.Combine(root, $"round-{round}", name), overrides, console, error, catalog, new RunSinks(null, null), cancellationToken);
                    if (outcome is null || code == ExitCodes.Invalid)
                    {
                        await error.WriteLineAsync($"error: round {round} through {name} was not a valid run (exit code {code}): no overhead is reported from it");
                        return ExitCodes.Invalid;
                    }

                    runs[name].Add(outcome.Result);
                }
            }

            var overhead = ClientOverhead.Of(library, runs[library], Baseline, runs[Baseline]);
            await File.WriteAllTextAsync(Path.Combine(root, "client-overhead.md"), overhead.Markdown(), cancellationToken);
            await File.WriteAllTextAsync(Path.Combine(root, "client-overhead.json"), JsonSerializer.Serialize(overhead, ResultJson.Options), cancellationToken);
            console.WriteLine();
            console.MarkupLineInterpolated($"[bold]Client overhead[/]: {overhead.Headline()}");
            foreach (var p in overhead.Percentiles)
            {
                console.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"  {p.Percentile,-6} {library} {p.ClientMs,9:0.###} ms   {Baseline} {p.BaselineMs,9:0.###} ms   difference {p.DifferenceMs,9:+0.###;-0.###;0} ms");
            }

            console.MarkupLineInterpolated($"Written: [bold]{Path.GetFullPath(Path.Combine(root, "client-overhead.md"))}[/] and client-overhead.json");
            return ExitCodes.Passed;
        });
        return command;
    }
}
