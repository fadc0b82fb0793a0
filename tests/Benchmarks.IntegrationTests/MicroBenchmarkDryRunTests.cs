using System.Diagnostics;
using Benchmarks.UnitTests.Cli;

namespace Benchmarks.IntegrationTests;

/// <summary>
/// The CI-sized dry mode of the micro-benchmarks: every benchmark runs once, in-process (not a
/// measurement), including the Redis round trips against a garnet-server it starts and stops.
/// Its exports then go through the gate: against themselves they pass, against a copy three times slower they fail.
/// </summary>
public sealed class MicroBenchmarkDryRunTests() : TempFolderTests("bench-micro-dry-")
{
    /// <summary>Runs the Release build of the micro-benchmarks with <paramref name="arguments"/>; returns the exit code and the output.</summary>
    private async Task<(int Code, string Output)> RunMicroAsync(params string[] arguments)
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
            WorkingDirectory = Folder.FullName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromMinutes(5), TestContext.Current.CancellationToken);
        return (process.ExitCode, await stdout + await stderr);
    }

    [Fact]
    public async Task Listing_the_benchmarks_succeeds_and_names_every_suite()
    {
        var (code, output) = await RunMicroAsync("--list", "flat");
        Assert.True(code == 0, output);
        Assert.Contains("RedisRoundTripBenchmarks", output, StringComparison.Ordinal);
        Assert.Contains("RecordingBenchmarks", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_micro_benchmark_runs_and_its_export_passes_the_gate_against_itself()
    {
        var (code0, output) = await RunMicroAsync("--filter", "*", "--job", "Dry", "--inProcess");
        Assert.True(code0 == 0, output[^Math.Min(output.Length, 4000)..]);

        var exports = Directory.GetFiles(Path.Combine(Folder.FullName, "reports", "micro", "results"), "*-report-full.json");
        Assert.True(exports.Length >= 6, string.Join(", ", exports));
        Assert.Contains(exports, e => e.Contains("RedisRoundTripBenchmarks", StringComparison.Ordinal));
        var redis = exports.Single(e => e.Contains("RedisRoundTripBenchmarks", StringComparison.Ordinal));
        var (code, text, err) = await CliHarness.RunAsync("compare", redis, redis, "--out", Path.Combine(Folder.FullName, "gate"));
        Assert.True(code == 0, text + err);
        Assert.Contains("GET 512 B", text, StringComparison.Ordinal);

        // The same export with every time tripled must fail the gate: a gate that always passes would not.
        var slower = Path.Combine(Folder.FullName, "slower-report-full.json");
        File.WriteAllText(slower, Scaled(File.ReadAllText(redis), 3));
        var (regressed, gateText, gateErr) = await CliHarness.RunAsync("compare", redis, slower, "--out", Path.Combine(Folder.FullName, "gate-slower"));
        Assert.True(regressed == 1, gateText + gateErr);
        Assert.Contains("GET 512 B", gateText, StringComparison.Ordinal);
    }

    /// <summary>A BenchmarkDotNet full JSON export with every timing (statistics and measurements) multiplied by <paramref name="factor"/>.</summary>
    private static string Scaled(string json, double factor)
    {
        var root = System.Text.Json.Nodes.JsonNode.Parse(json)!;
        foreach (var benchmark in root["Benchmarks"]!.AsArray())
        {
            var stats = benchmark!["Statistics"];
            if (stats is null)
            {
                continue;
            }

            foreach (var name in new[] { "Mean", "Median", "Min", "Max" })
            {
                stats[name] = stats[name]!.GetValue<double>() * factor;
            }

            if (stats["OriginalValues"] is System.Text.Json.Nodes.JsonArray values)
            {
                for (var i = 0; i < values.Count; i++)
                {
                    values[i] = values[i]!.GetValue<double>() * factor;
                }
            }

            foreach (var measurement in benchmark["Measurements"]?.AsArray() ?? [])
            {
                measurement!["Nanoseconds"] = measurement["Nanoseconds"]!.GetValue<double>() * factor;
            }
        }

        return root.ToJsonString();
    }
}
