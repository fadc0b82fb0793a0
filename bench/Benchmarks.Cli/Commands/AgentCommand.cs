using System.Globalization;
using Benchmarks.Core.Agents;
using Benchmarks.Core.Execution;
using Benchmarks.Core.Scenarios;
using Benchmarks.Core.Stores;
using Spectre.Console;

namespace Benchmarks.Cli.Commands;

/// <summary><c>bench run SCENARIO --agent i/N --start-at T --out RUN</c>: one agent's share, written under the run folder the agents share.</summary>
internal static class AgentCommand
{
    /// <summary>Shifts this agent's clock, to rehearse agents whose clocks disagree (the merge reports the offset it measured).</summary>
    public const string ClockSkewVariable = "BENCH_AGENT_CLOCK_SKEW_MS";

    public static async Task<int> RunAsync(string agentText, DateTimeOffset? startAt, string? output, IReadOnlyList<Scenario> scenarios, IReadOnlyList<string> overrides,
        IAnsiConsole console, TextWriter error, StoreCatalog catalog, RunSinks sinks, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var slice = AgentSlice.Parse(agentText, out var sliceProblem);
        if (sliceProblem is not null)
        {
            problems.Add($"--agent {sliceProblem}");
        }

        if (startAt is null)
        {
            problems.Add("--agent needs --start-at: the UTC instant all agents start at, so that their seconds line up (e.g. --start-at $(date -u -d '+30 sec' +%FT%TZ))");
        }

        if (output is null)
        {
            problems.Add("--agent needs --out: the run folder every agent of the run writes under (shared storage when agents are on several machines)");
        }

        if (scenarios.Count != 1)
        {
            problems.Add($"--agent runs one scenario; {scenarios.Count} were given");
        }

        var skew = TimeSpan.Zero;
        if (Environment.GetEnvironmentVariable(ClockSkewVariable) is { Length: > 0 } skewText)
        {
            if (double.TryParse(skewText, NumberStyles.Float, CultureInfo.InvariantCulture, out var ms))
            {
                skew = TimeSpan.FromMilliseconds(ms);
            }
            else
            {
                problems.Add($"{ClockSkewVariable}={skewText} is not a number of milliseconds");
            }
        }

        if (slice is { } s && scenarios.Count == 1 && AgentShare.WhyNot(scenarios[0], s) is { } why)
        {
            problems.Add($"{scenarios[0].SourcePath}: {why}");
        }

        if (problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                await error.WriteLineAsync($"error: {problem}");
            }

            await error.WriteLineAsync("nothing was run");
            return ExitCodes.BadInput;
        }

        var (location, locationProblem) = await RunLocations.OpenAsync(output!, cancellationToken);
        locationProblem ??= location is FolderLocation ? RunCommand.OutputFolderProblem(output!) : null;
        if (location is null || locationProblem is not null)
        {
            await error.WriteLineAsync($"error: --out {output}: {locationProblem}");
            await error.WriteLineAsync("nothing was run");
            return ExitCodes.BadInput;
        }

        await using (location)
        {
            var scenario = AgentShare.Of(scenarios[0], slice!.Value);
            using var agent = new AgentRun(slice.Value, startAt!.Value, location, scenario.Name, skew);
            // What the agent writes goes to the location as it is written, so that a lost agent leaves what it measured.
            agent.StartSync();
            var (code, _) = await RunCommand.RunOneAsync(scenario, agent.Folder, overrides, console, error, catalog, sinks, cancellationToken, agent);
            try
            {
                await agent.FinishAsync(CancellationToken.None);
            }
#pragma warning disable CA1031 // whatever the storage said, the agent's files are in its local folder: say where, and that the merge will miss them
            catch (Exception e)
#pragma warning restore CA1031
            {
                await error.WriteLineAsync($"error: agent {slice}: its files did not all reach {location.Description}: {e.Message.Split('\n')[0]}");
                await error.WriteLineAsync($"they are in {agent.Folder}; the merge will name this agent as not finished (exit code 3)");
                return ExitCodes.Invalid;
            }

            return code;
        }
    }
}
