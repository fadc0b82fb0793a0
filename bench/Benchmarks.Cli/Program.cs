using Benchmarks.Cli;
using Spectre.Console;

return await BenchCli.RunAsync(args, AnsiConsole.Console, Console.Error);
