using Spectre.Console;

namespace Benchmarks.Cli;

/// <summary>
/// The harness as a library: a program of your own that holds <see cref="Benchmarks.Core.Flows.Flow"/> classes
/// calls <see cref="RunAsync"/> from its <c>Main</c>, and its scenarios name those flows by type without an
/// assembly path (<c>flows: [ { type: My.Namespace.MyFlow } ]</c>). Every <c>bench</c> command works the same way.
/// </summary>
public static class Bench
{
    /// <summary>Runs the <c>bench</c> command line (<c>run</c>, <c>validate</c>, <c>report</c>...) in this process; returns its exit code.</summary>
    public static Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        CompleteSocketOperationsInline();
        // Logs and CI output are read in wide viewers: do not wrap the tables at 80 columns there.
        if (Console.IsOutputRedirected)
        {
            AnsiConsole.Console.Profile.Width = 140;
        }

        return BenchCli.RunAsync(args, AnsiConsole.Console, Console.Error, cancellationToken);
    }

    /// <summary>
    /// Runs the continuation of every asynchronous socket operation on the socket engine's own thread (one per core)
    /// instead of queueing it to the thread pool: a reply then wakes one thread, not two. The clients that use .NET's
    /// sockets (Npgsql, SqlClient, HttpClient for Cosmos DB and Blob Storage) drive more load per core and lose a hand-off
    /// from each tail: the registry lookup against pgbench went from 0.66 / 0.43 / 0.57 of its throughput to 0.99 / 0.77
    /// / 0.95 at 1 / 4 / 16 clients (docs/performance.md, "Load per core"). The runtime reads the setting once, at the
    /// process's first socket operation, so it is made here, before any; a value set in the environment is kept
    /// (<c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=0</c> turns it off).
    /// </summary>
    private static void CompleteSocketOperationsInline()
    {
        const string InlineCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";
        if (Environment.GetEnvironmentVariable(InlineCompletions) is null)
        {
            Environment.SetEnvironmentVariable(InlineCompletions, "1");
        }
    }
}
