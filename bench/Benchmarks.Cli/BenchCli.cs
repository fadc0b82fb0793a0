using System.CommandLine;
using Benchmarks.Cli.Commands;
using Spectre.Console;

namespace Benchmarks.Cli;

/// <summary>The <c>bench</c> command line: parse, call, return the exit code. Kept thin; the work is in Core.</summary>
public static class BenchCli
{
    public static async Task<int> RunAsync(string[] args, IAnsiConsole console, TextWriter error, CancellationToken cancellationToken = default)
    {
        var root = new RootCommand("bench: latency and throughput SLA validation for Redis, Cosmos DB, SQL, PostgreSQL and Synapse");
        var catalog = StoreKinds.Create();
        root.Subcommands.Add(RunCommand.Create(console, error, catalog));
        root.Subcommands.Add(ValidateCommand.Create(console, error, catalog));
        root.Subcommands.Add(ListCommand.Create(console, catalog));
        root.Subcommands.Add(CompareCommand.Create(console, error));
        root.Subcommands.Add(ReportCommand.Create(console, error, catalog));
        root.Subcommands.Add(DataCommand.Create(console, error));
        root.Subcommands.Add(MergeCommand.Create(console, error, catalog));
        root.Subcommands.Add(HistoryCommand.Create(console, error));
        root.Subcommands.Add(ClientOverheadCommand.Create(console, error, catalog));

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var e in parsed.Errors)
            {
                await error.WriteLineAsync($"error: {e.Message}");
            }

            await error.WriteLineAsync("run `bench --help` for usage");
            return ExitCodes.BadInput;
        }

        var config = new InvocationConfiguration
        {
            Error = error,
            ProcessTerminationTimeout = TimeSpan.FromSeconds(30),
            EnableDefaultExceptionHandler = false,
        };
        try
        {
            return await parsed.InvokeAsync(config, cancellationToken);
        }
#pragma warning disable CA1031 // the last line of defence: a bug must not look like an SLA verdict (exit 1)
        catch (Exception e)
#pragma warning restore CA1031
        {
            await error.WriteLineAsync($"internal error (a bug in bench, please report it with this trace): {e}");
            return ExitCodes.Invalid;
        }
    }
}
