using System.Diagnostics;
using System.Text.Json;
using Benchmarks.Cli.Launch;
using Benchmarks.UnitTests.Cli;

namespace Benchmarks.IntegrationTests.Runtime;

/// <summary>
/// <c>bench run</c> as a user starts it, a process of its own: it relaunches itself with a 64 MB gen-0 budget for its
/// garbage collector and the framework's precompiled code off, keeps a setting the user made, and passes a stop signal
/// and the exit code through.
/// </summary>
public sealed class RuntimeRelaunchTests() : TempFolderTests("bench-relaunch-")
{
    private const long Mb = 1024 * 1024;

    [Fact]
    public async Task A_run_generates_its_load_with_a_64_MB_gen0_budget_and_code_compiled_for_this_machine()
    {
        var (budget, readyToRun) = await SettingsOfTwoSecondRunAsync();
        Assert.Equal(64 * Mb, budget);
        Assert.False(readyToRun, "the run used the framework's precompiled code");
    }

    [Fact]
    public async Task A_budget_the_user_sets_is_kept()
    {
        var (budget, readyToRun) = await SettingsOfTwoSecondRunAsync((RuntimeRelaunch.Gen0Budget.Variable, "0x2000000"));
        Assert.Equal(32 * Mb, budget);
        Assert.False(readyToRun, "relaunched for the setting the user did not make");
    }

    [Fact]
    public async Task Precompiled_code_the_user_asks_for_is_kept()
    {
        var (budget, readyToRun) = await SettingsOfTwoSecondRunAsync((RuntimeRelaunch.PrecompiledCode.Variable, "1"));
        Assert.True(readyToRun, "the user's DOTNET_ReadyToRun=1 was overridden");
        Assert.Equal(64 * Mb, budget);
    }

    [Fact]
    public async Task Stopping_the_launching_process_stops_the_run_and_passes_its_exit_code_on()
    {
        var (bench, relaunched) = await RunningRelaunchedAsync();
        using var launcher = bench;
        using (var kill = Process.Start("kill", ["-TERM", bench.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        Assert.True(bench.WaitForExit(TimeSpan.FromSeconds(30)), "the launching process did not end after SIGTERM: the relaunched run was not stopped");
        Assert.False(Directory.Exists($"/proc/{relaunched}"), "the relaunched process outlived the one that launched it");
        // A run stopped before its end is not a valid measurement of the scenario (exit 3), as when bench runs in one process.
        Assert.Equal(3, bench.ExitCode);
    }

    [Fact]
    public async Task Killing_the_launching_process_kills_the_run_as_if_it_were_one_process()
    {
        var (bench, relaunched) = await RunningRelaunchedAsync();
        using var launcher = bench;
        bench.Kill();
        Assert.True(bench.WaitForExit(TimeSpan.FromSeconds(10)), "the launching process outlived SIGKILL");
        for (var waited = 0; waited < 50 && Directory.Exists($"/proc/{relaunched}"); waited++)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        Assert.False(Directory.Exists($"/proc/{relaunched}"), "the relaunched run outlived its launcher killed outright: it would measure on, unseen");
        Assert.False(File.Exists(Path.Combine(Folder.FullName, "out", "relaunched", "result.json")), "the run finished after its launcher was killed");
    }

    [Theory]
    [InlineData(new[] { "run", "x.yaml" }, true, null, "DOTNET_GCgen0size,DOTNET_ReadyToRun")]
    [InlineData(new[] { "client-overhead", "x.yaml" }, true, null, "DOTNET_GCgen0size,DOTNET_ReadyToRun")]
    [InlineData(new[] { "run", "x.yaml" }, true, "DOTNET_GCgen0size", "DOTNET_ReadyToRun")]
    [InlineData(new[] { "run", "x.yaml" }, true, "DOTNET_ReadyToRun", "DOTNET_GCgen0size")]
    [InlineData(new[] { "run", "x.yaml" }, true, "DOTNET_GCgen0size,DOTNET_ReadyToRun", "")]
    [InlineData(new[] { "run", "x.yaml" }, false, null, "")]
    [InlineData(new[] { "validate", "x.yaml" }, true, null, "")]
    [InlineData(new string[0], true, null, "")]
    public void Only_the_commands_that_generate_load_are_relaunched_with_the_settings_the_user_did_not_make(
        string[] args, bool linux, string? userMade, string relaunchedWith)
    {
        var made = (userMade ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries);
        var wanted = RuntimeRelaunch.Wanted(args, linux, variable => made.Contains(variable) ? "0" : null);
        Assert.Equal(relaunchedWith, string.Join(',', wanted.Select(s => s.Variable)));
    }

    /// <summary>A two-minute run, started as a user starts it and relaunched, three seconds in: the launcher and the relaunched process's id.</summary>
    private async Task<(Process Launcher, int Relaunched)> RunningRelaunchedAsync()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Skip("bench relaunches itself on Linux only");
        }

        var bench = Start(duration: "120s");
        var relaunched = await RelaunchedAsync(bench.Id);
        await Task.Delay(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken);
        return (bench, relaunched);
    }

    private Process Start(string duration, params (string Variable, string Value)[] userSettings)
    {
        var scenario = Path.Combine(Folder.FullName, "noop.yaml");
        File.WriteAllText(scenario, $$"""
            name: relaunched
            store: { kind: noop }
            workload: { mix: [ { op: noop } ] }
            load: { executor: constant-arrival-rate, rate: 1000/s, duration: {{duration}}, warmup: 1s }
            """);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "bench.dll"), "run", scenario, "--out", Path.Combine(Folder.FullName, "out") })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var setting in RuntimeRelaunch.Settings)
        {
            start.Environment.Remove(setting.Variable);
        }

        foreach (var (variable, value) in userSettings)
        {
            start.Environment[variable] = value;
        }

        var process = Process.Start(start)!;
        // Drained so that a full pipe never blocks the run.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>A two-second run, started as a user starts it with <paramref name="userSettings"/>: the runtime settings its result reports.</summary>
    private async Task<(long Budget, bool ReadyToRun)> SettingsOfTwoSecondRunAsync(params (string Variable, string Value)[] userSettings)
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Skip("bench relaunches itself on Linux only");
        }

        using (var bench = Start(duration: "2s", userSettings))
        {
            Assert.True(bench.WaitForExit(TimeSpan.FromSeconds(60)), "bench run did not end");
            Assert.Equal(0, bench.ExitCode);
        }

        using var result = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Folder.FullName, "out", "relaunched", "result.json"), TestContext.Current.CancellationToken));
        var environment = result.RootElement.GetProperty("environment");
        return (environment.GetProperty("gcGen0MaxBudgetBytes").GetInt64(), environment.GetProperty("readyToRun").GetBoolean());
    }

    /// <summary>The process <paramref name="parent"/> started (from /proc: the fourth field of a process's stat is its parent).</summary>
    private static async Task<int> RelaunchedAsync(int parent)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            foreach (var stat in Directory.EnumerateDirectories("/proc").Select(d => Path.Combine(d, "stat")))
            {
                var fields = File.Exists(stat) ? TryRead(stat)?.Split(") ")[^1].Split(' ') : null;
                if (fields is { Length: > 2 } && fields[1] == parent.ToString(System.Globalization.CultureInfo.InvariantCulture))
                {
                    return int.Parse(Path.GetFileName(Path.GetDirectoryName(stat)!), System.Globalization.CultureInfo.InvariantCulture);
                }
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        throw new InvalidOperationException($"process {parent} started no other within 10 s: bench did not relaunch itself");
    }

    private static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return null; // the process ended while the folder was read
        }
    }
}
