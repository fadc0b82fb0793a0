using System.Diagnostics;
using Benchmarks.UnitTests.Cli;

namespace Benchmarks.IntegrationTests;

/// <summary>
/// The CI-sized dry mode of the micro-benchmarks: every benchmark runs once, in-process (not a
/// measurement), including the Redis round trips against a garnet-server it starts and stops.
/// Its exports then go through the gate: against themselves they pass.
/// </summary>
public sealed class MicroBenchmarkDryRunTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("bench-micro-dry-");

    public void Dispose() => _work.Delete(recursive: true);

    [Fact]
    public async Task Every_micro_benchmark_runs_and_its_export_passes_the_gate_against_itself()
    {
        // BenchmarkDotNet refuses non-optimised assemblies, so the Release build is the one to run
        // (the CI's `dotnet test -c Release` has built it; a Debug test run builds it here).
        var project = RepositoryRoot.File(Path.Combine("bench", "Benchmarks.Micro"));
        var dll = Path.Combine(project, "bin", "Release", "net10.0", "Benchmarks.Micro.dll");
        if (!File.Exists(dll) || !AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
        {
            using var build = Process.Start(new ProcessStartInfo("dotnet") { ArgumentList = { "build", project, "-c", "Release", "-v", "q" } })!;
            await build.WaitForExitAsync(TestContext.Current.CancellationToken);
            Assert.Equal(0, build.ExitCode);
        }

        Assert.True(File.Exists(dll), $"{dll} is not built: dotnet build -c Release Benchmarks.sln");

        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = _work.FullName,
            ArgumentList = { dll, "--filter", "*", "--job", "Dry", "--inProcess" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromMinutes(5), TestContext.Current.CancellationToken);
        var output = await stdout + await stderr;
        Assert.True(process.ExitCode == 0, output[^Math.Min(output.Length, 4000)..]);

        var exports = Directory.GetFiles(Path.Combine(_work.FullName, "reports", "micro", "results"), "*-report-full.json");
        Assert.True(exports.Length >= 6, string.Join(", ", exports));
        Assert.Contains(exports, e => e.Contains("RedisRoundTripBenchmarks", StringComparison.Ordinal));
        var redis = exports.Single(e => e.Contains("RedisRoundTripBenchmarks", StringComparison.Ordinal));
        var (code, text, err) = await CliHarness.RunAsync("compare", redis, redis, "--out", Path.Combine(_work.FullName, "gate"));
        Assert.True(code == 0, text + err);
        Assert.Contains("GET 512 B", text, StringComparison.Ordinal);
    }
}
