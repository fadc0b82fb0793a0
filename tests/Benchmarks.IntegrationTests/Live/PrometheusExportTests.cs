using System.Globalization;
using Benchmarks.Core.Live;
using Benchmarks.Core.Results;
using Benchmarks.Core.Stores;
using Benchmarks.IntegrationTests.Redis;
using Benchmarks.UnitTests.Cli;

namespace Benchmarks.IntegrationTests.Live;

/// <summary>
/// A real Prometheus scrapes <c>bench run --metrics-port</c> every second during a run against redis-server: what it
/// stored agrees with result.json — the count exactly, and histogram_quantile's p99 within one bucket of the fixed
/// boundaries (2^(1/8), 9.05 %) of the run's own HdrHistogram p99.
/// </summary>
public sealed class PrometheusExportTests() : TempFolderTests("bench-prom-")
{
    [Fact]
    public async Task Prometheus_scraping_a_run_holds_its_exact_count_and_its_p99_within_one_bucket()
    {
        await using var redis = await RedisServer.StartAsync();
        var metricsPort = LocalServerProcess.FreeLoopbackPort();
        await using var prometheus = await PrometheusServer.StartAsync(metricsPort);
        var scenario = Path.Combine(Folder.FullName, "prom.yaml");
        await File.WriteAllTextAsync(scenario, Runs.Scenario(redis.Connection, $"{{ executor: constant-arrival-rate, rate: 3000/s, duration: 6s, warmup: 1s, {Runs.RelaxedSelfCheck} }}")
            .Replace("name: it", "name: prom-redis", StringComparison.Ordinal), TestContext.Current.CancellationToken);
        var output = Path.Combine(Folder.FullName, "out");

        var (code, stdout, stderr) = await CliHarness.RunAsync("run", scenario, "--out", output, "--metrics-port", metricsPort.ToString(CultureInfo.InvariantCulture), "--metrics-linger", "3s");
        Assert.True(code is 0 or 1, $"exit {code}\n{stdout}\n{stderr}");
        Assert.Contains("Prometheus scrape endpoint", stdout, StringComparison.Ordinal);
        var result = ResultJson.TryRead(Path.Combine(output, "prom-redis", OutputFileNames.Result))!;

        const string series = "bench_operation_duration_seconds";
        const string selector = "{scenario=\"prom-redis\"}";
        // Cumulative series: the highest value of each over the run is its last, the whole run.
        var samples = await prometheus.QueryAsync($"max(count_over_time({series}_count{selector}[10m]))");
        Assert.True(samples >= 5, $"Prometheus took {samples} samples of the run: it was not scraped while it ran");
        var count = await prometheus.QueryAsync($"sum(max_over_time({series}_count{selector}[10m]))");
        Assert.Equal(result.Total.Count, (long)count!.Value);

        var p99 = await prometheus.QueryAsync($"histogram_quantile(0.99, sum by (le) (max_over_time({series}_bucket{selector}[10m])))");
        var harnessP99 = result.Total.Latency.Corrected.P99 / 1000;
        var ratio = p99!.Value / harnessP99;
        Assert.True(ratio >= 1 / LiveInstruments.BucketRatio && ratio <= LiveInstruments.BucketRatio,
            $"Prometheus p99 {p99 * 1000:0.###} ms, the run's {harnessP99 * 1000:0.###} ms: {ratio:0.####}× is outside one bucket ({LiveInstruments.BucketRatio:0.####}×)");
        var errors = await prometheus.QueryAsync($"sum(max_over_time(bench_operation_errors_total{selector}[10m]))");
        Assert.Equal(result.Total.Errors.Total, (long)(errors ?? 0));
        Assert.Equal(3000, await prometheus.QueryAsync($"max(max_over_time(bench_target_rate_per_second{selector}[10m]))"));
    }
}
