using Benchmarks.Cli;
using Spectre.Console;

namespace Benchmarks.UnitTests.Cli;

/// <summary>Runs the bench command line in-process with captured output.</summary>
internal static class CliHarness
{
    public static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(stdout),
        });
        console.Profile.Width = 200;
        var code = await BenchCli.RunAsync(args, console, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
