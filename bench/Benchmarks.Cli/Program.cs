using Benchmarks.Cli;
using Spectre.Console;

// Logs and CI output are read in wide viewers: do not wrap the tables at 80 columns there.
if (Console.IsOutputRedirected)
{
    AnsiConsole.Console.Profile.Width = 140;
}

return await BenchCli.RunAsync(args, AnsiConsole.Console, Console.Error);
