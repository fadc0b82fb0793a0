using System.Diagnostics;
using Benchmarks.Core.Results;
using Benchmarks.Core.Stores;
using Benchmarks.Reports.Exporters;
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
        var path = Path.Combine(_runs.Directory, $"{signal}.yaml");
        File.WriteAllText(path, Runs.Scenario(redis.Connection, "{ executor: constant-arrival-rate, rate: 500/s, duration: 60s, warmup: 1s }")
            .Replace("name: it", $"name: signal-{signal}", StringComparison.Ordinal));
        var output = Path.Combine(_runs.Directory, $"out-{signal}");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "bench.dll"), "run", path, "--out", output })
        {
            start.ArgumentList.Add(arg);
        }

        using var bench = Process.Start(start)!;
        var stdout = bench.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = bench.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        var hlog = Path.Combine(output, $"signal-{signal}", $"signal-{signal}.hlog");
        var deadline = Stopwatch.StartNew();
        while (SecondsLogged(hlog) < 3 && deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }

        using (var kill = Process.Start("kill", [$"-{signal}", bench.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        await bench.WaitForExitAsync(TestContext.Current.CancellationToken);
        var log = await stdout + await stderr;

        Assert.True(bench.ExitCode == 3, $"exit {bench.ExitCode}: {log}");
        var result = ResultJson.Read(Path.Combine(output, $"signal-{signal}", OutputFileNames.Result));
        Assert.Equal(RunStatus.Interrupted, result.Status);
        Assert.InRange(result.DurationSeconds, 2, 30);
        Assert.True(result.Total.Count > 500, $"{result.Total.Count} operations");
        Assert.Equal(result.Total.Count, HlogTotal(hlog));
        Assert.True(File.Exists(Path.Combine(output, $"signal-{signal}", OutputFileNames.Html)));
    }

    /// <summary>Seconds written to the .hlog so far: its untagged lines (the total), one a second; tagged lines start with "Tag=".</summary>
    private static int SecondsLogged(string hlog)
    {
        try
        {
            using var stream = new FileStream(hlog, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd().Split('\n').Count(l => l.Length > 0 && char.IsDigit(l[0]));
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static long HlogTotal(string hlog)
    {
        using var file = new FileStream(hlog, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new HistogramLogReader(file);
        return reader.ReadHistograms().Where(h => h.Tag is null).Sum(h => h.TotalCount);
    }
}
