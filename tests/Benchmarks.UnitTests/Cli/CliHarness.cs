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

/// <summary>The repository the tests run from (the folder holding Benchmarks.sln), for its scenarios and projects.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    public static string File(string relative) => System.IO.Path.Combine(Path, relative);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(System.IO.Path.Combine(dir.FullName, "Benchmarks.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("repository root (Benchmarks.sln) not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>The base of test classes that write files: a fresh temporary folder per test, deleted after it.</summary>
public abstract class TempFolderTests(string prefix) : IDisposable
{
    protected DirectoryInfo Folder { get; } = Directory.CreateTempSubdirectory(prefix);

    public void Dispose()
    {
        Folder.Delete(recursive: true);
        GC.SuppressFinalize(this);
    }
}
