using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Benchmarks.UnitTests.Cli;

namespace Benchmarks.IntegrationTests.Deploy;

/// <summary>
/// deploy/azure is built and linted by the pinned Bicep CLI (NuGet's Azure.Bicep.CommandLine.linux-x64, downloaded
/// with the tests' restore), with deploy/azure/bicepconfig.json's rules; and the template's outputs name every
/// environment variable the shipped scenarios read for a store, so a deployment hands a run all it needs.
/// </summary>
public sealed partial class BicepTemplatesTests
{
    private static readonly string Folder = RepositoryRoot.File("deploy/azure");

    public static TheoryData<string> Templates() =>
        [.. Directory.GetFiles(Folder, "*.bicep", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(Folder, f)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Templates))]
    public async Task Every_template_builds_and_lints_without_a_diagnostic(string template)
    {
        var path = Path.Combine(Folder, template);
        var build = await BicepAsync("build", path, "--stdout");
        Assert.True(build.ExitCode == 0, $"bicep build {template}:\n{build.Error}");
        Assert.DoesNotContain("Warning", build.Error, StringComparison.Ordinal);
        using (var arm = JsonDocument.Parse(build.Output))
        {
            Assert.True(arm.RootElement.TryGetProperty("resources", out _), $"{template} built to no resources");
        }

        var lint = await BicepAsync("lint", path);
        Assert.True(lint.ExitCode == 0 && lint.Error.Trim().Length == 0 && lint.Output.Trim().Length == 0,
            $"bicep lint {template} (exit {lint.ExitCode}):\n{lint.Output}{lint.Error}");
    }

    [Fact]
    public async Task The_deployment_outputs_every_store_variable_the_scenarios_read_and_no_secret()
    {
        var build = await BicepAsync("build", Path.Combine(Folder, "main.bicep"), "--stdout");
        Assert.Equal(0, build.ExitCode);
        using var arm = JsonDocument.Parse(build.Output);
        var outputs = arm.RootElement.GetProperty("outputs");
        var environment = outputs.GetProperty("environment");
        Assert.Equal("object", environment.GetProperty("type").GetString());
        // The output's value is an ARM expression object: its property names are the variables.
        var exported = environment.GetProperty("value").EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);

        var read = Directory.GetFiles(RepositoryRoot.File("scenarios"), "*.yaml", SearchOption.AllDirectories)
            .SelectMany(f => Variable().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .ToHashSet(StringComparer.Ordinal);
        // Keys and passwords are fetched with az (README); tuning knobs (thresholds) are not the deployment's.
        string[] notDeployed = ["COSMOS_KEY", "REDIS_PASSWORD", "COSMOS_QUERY_P99", "VAR"];
        var missing = read.Except(notDeployed).Except(exported).ToList();
        Assert.True(missing.Count == 0, $"the scenarios read {string.Join(", ", missing)}, which main.bicep's environment output does not give");
        Assert.Contains("REDIS_CONNECTION", exported);
        Assert.DoesNotContain(exported, name => name.Contains("KEY", StringComparison.Ordinal) || name.Contains("PASSWORD", StringComparison.Ordinal));
        foreach (var output in outputs.EnumerateObject())
        {
            Assert.False(output.Value.GetProperty("type").GetString()!.StartsWith("secure", StringComparison.OrdinalIgnoreCase), output.Name);
        }
    }

    [GeneratedRegex(@"\$\{([A-Z][A-Z0-9_]*)")]
    private static partial Regex Variable();

    private static async Task<(int ExitCode, string Output, string Error)> BicepAsync(params string[] arguments)
    {
        var cli = typeof(BicepTemplatesTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BicepCli").Value!;
        if (!File.Exists(cli))
        {
            Requirements.Unavailable($"the Bicep CLI ({cli})", "dotnet restore tests/Benchmarks.IntegrationTests (it downloads Azure.Bicep.CommandLine.linux-x64)");
        }

        // NuGet does not always keep the executable bit of a package's files (the package is Linux's CLI).
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(cli, File.GetUnixFileMode(cli) | UnixFileMode.UserExecute);
        }
        var start = new ProcessStartInfo(cli) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // No telemetry upload, and no check for a newer CLI: CI machines may have no route out.
        start.Environment["BICEP_TELEMETRY_ENABLED"] = "false";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
