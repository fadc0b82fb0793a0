using Benchmarks.Core.Parsing;
using Benchmarks.Core.Results;
using Benchmarks.Core.Stores;
using Benchmarks.Core.Workload;
using Benchmarks.Reports.Exporters;
using Benchmarks.Stores.Redis;
using HdrHistogram;

namespace Benchmarks.IntegrationTests.Redis;

/// <summary>The claims a performance engineer checks first, against a real redis-server.</summary>
public sealed class MeasurementTests : IDisposable
{
    private readonly Runs _runs = new();

    public void Dispose() => _runs.Dispose();

    [Fact]
    public async Task A_one_second_server_stall_shows_in_corrected_latency_as_theory_predicts()
    {
        // 1000/s for 8 s with 4 slots in flight. DEBUG SLEEP 1 stalls the server 3 s in: the ~1000
        // operations due during the stall queue for a slot, keeping their intended start, so 1/8 of
        // all operations are delayed by up to 1 s, uniformly: corrected p99 ≈ 1 - 8 × 0.01 = 0.92 s.
        // Only the 4 operations in flight at the stall saw it as service time.
        await using var redis = await RedisServer.StartAsync();
        var scenario = _runs.Load(Runs.Scenario(redis.Connection, "{ executor: constant-arrival-rate, rate: 1000/s, duration: 8s, warmup: 1s, maxInFlight: 4 }"));
        var run = _runs.RunAsync(scenario, TestContext.Current.CancellationToken);
        await Task.Delay(4000, TestContext.Current.CancellationToken);
        Assert.Equal("+OK", await redis.CommandAsync("DEBUG", "SLEEP", "1"));
        var r = (await run).Result;

        Assert.Equal(8000, r.Total.Count);
        Assert.Equal(0, r.Total.Errors.Total);
        Assert.Equal(0, r.Load.Dropped);
        Assert.InRange(r.Total.Latency.Corrected.P99, 800, 1000);
        Assert.InRange(r.Total.Latency.Corrected.Max, 950, 1100);
        Assert.InRange(r.Total.Latency.Corrected.P90, 150, 400);
        Assert.True(r.Total.Latency.Uncorrected.P99 < 50, $"uncorrected p99 {r.Total.Latency.Uncorrected.P99} ms");
        Assert.InRange(r.Total.Latency.Uncorrected.Max, 950, 1100);
    }

    [Theory]
    [InlineData(200)]
    [InlineData(2_000)]
    [InlineData(10_000)]
    public async Task Achieved_rate_is_within_one_percent_of_the_target(int rate)
    {
        await using var redis = await RedisServer.StartAsync();
        var scenario = _runs.Load(Runs.Scenario(redis.Connection, $"{{ executor: constant-arrival-rate, rate: {rate}/s, duration: 3s, warmup: 1s }}"));
        var r = (await _runs.RunAsync(scenario, TestContext.Current.CancellationToken)).Result;
        Assert.Equal(0, r.Total.Errors.Total);
        Assert.Equal(0, r.Load.Dropped);
        Assert.Equal(rate * 3, r.Total.Count);
        Assert.InRange(r.Load.AchievedRatePerSecond, rate * 0.99, rate * 1.01);
    }

    [Fact]
    public async Task The_histograms_count_exactly_the_operations_that_completed_under_many_workers()
    {
        await using var redis = await RedisServer.StartAsync();
        var counting = new CountingFactory(new RedisDriverFactory());
        using var runs = new Runs(new StoreCatalog([counting]));
        var scenario = runs.Load(Runs.Scenario(redis.Connection, "{ executor: constant-concurrency, concurrency: 64, duration: 2s }",
            "[ { op: get, weight: 1 }, { op: set, weight: 1 }, { op: incr, weight: 1 } ]").Replace("kind: redis", "kind: counting", StringComparison.Ordinal));
        var r = (await runs.RunAsync(scenario, TestContext.Current.CancellationToken)).Result;
        Assert.True(r.Total.Count > 10_000, $"{r.Total.Count}");
        Assert.Equal(counting.Succeeded, r.Total.Count);
        Assert.Equal(r.Total.Count, r.Operations.Sum(o => o.Count));
        Assert.Equal(r.Total.Count, r.Intervals.Single(s => s.Operation == "total").Points.Sum(p => p.Count));
    }

    [Fact]
    public async Task The_hlog_reads_back_into_the_totals_of_result_json()
    {
        await using var redis = await RedisServer.StartAsync();
        var scenario = _runs.Load(Runs.Scenario(redis.Connection, "{ executor: constant-arrival-rate, rate: 2000/s, duration: 3500ms, warmup: 500ms }"));
        var outcome = await _runs.RunAsync(scenario, TestContext.Current.CancellationToken);
        new JsonExporter().Export(outcome, outcome.OutputDirectory);
        var result = ResultJson.Read(Path.Combine(outcome.OutputDirectory, OutputFileNames.Result));

        using var file = File.OpenRead(Path.Combine(outcome.OutputDirectory, result.Files.Hlog!));
        using var reader = new HistogramLogReader(file);
        var intervals = reader.ReadHistograms().ToList();
        Assert.True(intervals.Count >= 4 * 4, $"{intervals.Count} interval histograms");

        HistogramBase Sum(string? tag)
        {
            var sum = Core.Recording.Histograms.Create();
            foreach (var h in intervals.Where(h => h.Tag == tag))
            {
                sum.Add(h);
            }

            return sum;
        }

        var total = Sum(null);
        Assert.Equal(result.Total.Count, total.TotalCount);
        Assert.Equal(result.Total.Latency.Corrected.P99, total.GetValueAtPercentile(99) / 1000.0);
        Assert.Equal(result.Total.Latency.Corrected.Max, total.GetMaxValue() / 1000.0);
        Assert.Equal(result.Total.Latency.Uncorrected.P999, Sum("total.uncorrected").GetValueAtPercentile(99.9) / 1000.0);
        foreach (var op in result.Operations)
        {
            Assert.Equal(op.Count, Sum($"{op.Name}.corrected").TotalCount);
            Assert.Equal(op.Latency.Uncorrected.P50, Sum($"{op.Name}.uncorrected").GetValueAtPercentile(50) / 1000.0);
        }
    }

    /// <summary>Wraps a real driver and counts the operations that completed without error, independently of the recorders.</summary>
    private sealed class CountingFactory(IStoreDriverFactory inner) : IStoreDriverFactory
    {
        private long _succeeded;

        public long Succeeded => Interlocked.Read(ref _succeeded);

        public string Kind => "counting";

        public string Description => inner.Description;

        public IReadOnlyList<string> Operations => inner.Operations;

        public object ParseSettings(ScenarioSection store) => inner.ParseSettings(store);

        public string RedactTarget(object settings) => inner.RedactTarget(settings);

        public object? ParseOperation(string operation, ScenarioSection entry) => inner.ParseOperation(operation, entry);

        public IStoreDriver Create(object settings) => new Driver(inner.Create(settings), this);

        private sealed class Driver(IStoreDriver driver, CountingFactory owner) : IStoreDriver
        {
            public Task<StoreInfo> ConnectAsync(CancellationToken cancellationToken) => driver.ConnectAsync(cancellationToken);

            public IStoreOperation CreateOperation(OperationDefinition operation, WorkloadContext workload) =>
                new Counted(driver.CreateOperation(operation, workload), owner);

            public ErrorKind Classify(Exception error) => driver.Classify(error);

            public ValueTask DisposeAsync() => driver.DisposeAsync();
        }

        private sealed class Counted(IStoreOperation operation, CountingFactory owner) : IStoreOperation
        {
            public async ValueTask ExecuteAsync(OperationRandom random, long sequence, CancellationToken cancellationToken)
            {
                await operation.ExecuteAsync(random, sequence, cancellationToken);
                Interlocked.Increment(ref owner._succeeded);
            }
        }
    }
}
