using System.Diagnostics;
using Benchmarks.Core.Results;
using Benchmarks.Core.Stores;
using Benchmarks.Stores.Redis;
using HdrHistogram;

namespace Benchmarks.IntegrationTests.Redis;

/// <summary>Runs that stop before their end: by an abort rule (aborted, exit 1) or from outside (interrupted, exit 3), reports written either way.</summary>
public sealed class StoppedRunTests : IDisposable
{
    private readonly Runs _runs = new(new StoreCatalog([new RedisDriverFactory()]));

    public void Dispose() => _runs.Dispose();

    [Fact]
    public async Task An_abort_rule_stops_the_run_within_a_second_of_its_window_and_the_report_holds_every_second_until_then()
    {
        await using var redis = await RedisServer.StartAsync();
        // Every operation takes more than 1 µs, so the condition holds from the first second: the rule must
        // fire at the end of the third, not at the planned 20 s.
        var scenario = _runs.Load(Runs.Scenario(redis.Connection, "{ executor: constant-arrival-rate, rate: 500/s, duration: 20s, warmup: 1s }",
            extra: "abortOn: [ \"p(99) > 0.001ms for 3s\" ]"));
        var outcome = await _runs.RunAsync(scenario, TestContext.Current.CancellationToken);
        var r = outcome.Result;

        Assert.Equal(RunStatus.Aborted, r.Status);
        Assert.Equal(1, RunStatus.ExitCode(r.Status));
        Assert.Contains("abort rule 'p(99) > 0.001ms for 3s' fired 3 s into the measured window", r.StatusReasons[0], StringComparison.Ordinal);
        Assert.InRange(r.DurationSeconds, 3, 4.5);
        var seconds = r.Intervals.Single(s => s.Operation == "total").Points;
        Assert.True(seconds.Count(p => p.LengthSeconds >= 0.99) >= 3, $"{seconds.Count} intervals");
        Assert.Equal(r.Total.Count, HlogTotal(Path.Combine(outcome.OutputDirectory, r.Files.Hlog!)));
    }

    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public async Task A_signal_from_outside_ends_the_run_as_interrupted_with_every_report_agreeing_with_the_hlog(string signal)
    {
        await using var redis = await RedisServer.StartAsync();
        var (bench, folder, _, output) = await StartAndSignalAfterThreeSecondsAsync(redis, signal);
        using (bench)
        {
            var log = await output;
            Assert.True(bench.ExitCode == 3, $"exit {bench.ExitCode}: {log}");
        }

        var result = ResultJson.Read(Path.Combine(folder, OutputFileNames.Result));
        Assert.Equal(RunStatus.Interrupted, result.Status);
        Assert.InRange(result.DurationSeconds, 2, 30);
        Assert.True(result.Total.Count > 500, $"{result.Total.Count} operations");
        Assert.Equal(result.Total.Count, HlogTotal(Path.Combine(folder, result.Files.Hlog!)));
        Assert.True(File.Exists(Path.Combine(folder, OutputFileNames.Html)));
    }

    [Fact]
    public async Task A_killed_run_leaves_an_hlog_that_bench_report_turns_into_an_incomplete_report()
    {
        await using var redis = await RedisServer.StartAsync();
        var (bench, folder, scenario, output) = await StartAndSignalAfterThreeSecondsAsync(redis, "KILL");
        using (bench)
        {
            await output;
            Assert.Equal(137, bench.ExitCode);
        }

        Assert.False(File.Exists(Path.Combine(folder, OutputFileNames.Result)));
        var hlog = Assert.Single(Directory.GetFiles(folder, "*.hlog"));
        var (code, text, error) = await UnitTests.Cli.CliHarness.RunAsync("report", folder, "--scenario", scenario);

        Assert.True(code == 3, text + error);
        var result = ResultJson.Read(Path.Combine(folder, OutputFileNames.Result));
        Assert.Equal(RunStatus.Incomplete, result.Status);
        Assert.Equal(HlogTotal(hlog), result.Total.Count);
        Assert.True(result.Total.Count > 500, $"{result.Total.Count} operations");
        Assert.Equal(result.Total.Count, result.Intervals.Single(i => i.Operation == "total").Points.Sum(p => p.Count));
        Assert.Equal(result.Total.Count, result.Operations.Sum(o => o.Count));
        Assert.Contains("errors, drops and the load generator's health are not in the .hlog", string.Join("\n", result.StatusReasons), StringComparison.Ordinal);
        // The SLA on errors cannot be judged from latencies: it is named as not judged, never passed.
        Assert.DoesNotContain(result.Sla, v => v.Threshold.StartsWith("errors", StringComparison.Ordinal));
        Assert.InRange((DateTimeOffset.UtcNow - result.StartTime).TotalMinutes, 0, 10);
        foreach (var file in new[] { OutputFileNames.Html, OutputFileNames.Summary, OutputFileNames.Junit, OutputFileNames.Hgrm("total", true) })
        {
            Assert.True(File.Exists(Path.Combine(folder, file)), file);
        }
    }

    /// <summary>Starts a 60 s run of bench as its own process and sends it <paramref name="signal"/> once three seconds are logged; returns when it has exited.</summary>
    private async Task<(Process Bench, string Folder, string Scenario, Task<string> Output)> StartAndSignalAfterThreeSecondsAsync(RedisServer redis, string signal)
    {
        var name = $"signal-{signal.ToLowerInvariant()}";
        var path = Path.Combine(_runs.Directory, $"{name}.yaml");
        File.WriteAllText(path, Runs.Scenario(redis.Connection, "{ executor: constant-arrival-rate, rate: 500/s, duration: 60s, warmup: 1s }",
            extra: "sla: [ \"p(99) < 1s\", \"errors < 1%\" ]").Replace("name: it", $"name: {name}", StringComparison.Ordinal));
        var output = Path.Combine(_runs.Directory, $"out-{name}");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "bench.dll"), "run", path, "--out", output })
        {
            start.ArgumentList.Add(arg);
        }

        var bench = Process.Start(start)!;
        var stdout = bench.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = bench.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        var folder = Path.Combine(output, name);
        var deadline = Stopwatch.StartNew();
        while (HlogFiles.SecondsLogged(Path.Combine(folder, $"{name}.hlog")) < 3 && deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }

        using (var kill = Process.Start("kill", [$"-{signal}", bench.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        await bench.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (bench, folder, path, Task.WhenAll(stdout, stderr).ContinueWith(t => string.Concat(t.Result), TaskScheduler.Default));
    }

    private static long HlogTotal(string hlog)
    {
        using var file = new FileStream(hlog, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new HistogramLogReader(file);
        return reader.ReadHistograms().Where(h => h.Tag is null).Sum(h => h.TotalCount);
    }
}
