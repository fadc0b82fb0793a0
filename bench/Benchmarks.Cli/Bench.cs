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
        // Logs and CI output are read in wide viewers: do not wrap the tables at 80 columns there.
        if (Console.IsOutputRedirected)
        {
            AnsiConsole.Console.Profile.Width = 140;
        }

        return BenchCli.RunAsync(args, AnsiConsole.Console, Console.Error, cancellationToken);
    }
}
