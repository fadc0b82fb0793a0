using BenchmarkDotNet.Attributes;

namespace Benchmarks.Micro;

/// <summary>
/// One round trip of each store's main operation through the harness's own driver, against the local
/// stand-in the scenarios use (started in GlobalSetup, stopped in GlobalCleanup): the registry lookup on a
/// throwaway PostgreSQL cluster, a Cosmos DB point read on the local cosmosdb-server, and the training-data
/// query on DuckDB over a small generated Parquet set.
/// </summary>
[MemoryDiagnoser]
public class StoreRoundTripBenchmarks
{
    private ScenarioOperation? _registryLookup;
    private ScenarioOperation? _cosmosPointRead;
    private ScenarioOperation? _trainingData;
    private readonly string _parquet = Directory.CreateTempSubdirectory("bench-micro-events-").FullName;

    [GlobalSetup(Target = nameof(RegistryLookup))]
    public async Task SetupRegistry() => _registryLookup = await ScenarioOperation.StartAsync("""
        name: micro-registry
        store: { kind: postgres, connection: local, poolSize: 4 }
        data: { keys: 10000, keyPrefix: "model-", preload: true }
        workload: { distribution: uniform, mix: [ { op: lookup } ] }
        load: { executor: constant-concurrency, concurrency: 1, duration: 1s }
        """);

    [GlobalSetup(Target = nameof(CosmosPointRead))]
    public async Task SetupCosmos() => _cosmosPointRead = await ScenarioOperation.StartAsync("""
        name: micro-cosmos
        store: { kind: cosmos, connection: local }
        data: { keys: 1000, keyPrefix: "user-", preload: true }
        workload: { distribution: uniform, mix: [ { op: read } ] }
        load: { executor: constant-concurrency, concurrency: 1, duration: 1s }
        """);

    [GlobalSetup(Target = nameof(TrainingDataQuery))]
    public async Task SetupAnalytics() => _trainingData = await ScenarioOperation.StartAsync($$"""
        name: micro-analytics
        store: { kind: analytics, engine: duckdb, dataset: "{{_parquet}}", events: { rows: 50000, users: 1000, days: 30, fileRows: 25000 } }
        data: { preload: true }
        workload: { mix: [ { op: training-data, windowDays: 7, result: fetch } ] }
        load: { executor: constant-concurrency, concurrency: 1, duration: 1s }
        """);

    [GlobalCleanup]
    public async Task Cleanup()
    {
        foreach (var operation in new[] { _registryLookup, _cosmosPointRead, _trainingData })
        {
            if (operation is not null)
            {
                await operation.DisposeAsync();
            }
        }

        Directory.Delete(_parquet, recursive: true);
    }

    [Benchmark(Description = "PostgreSQL registry lookup (Npgsql, one row, every column)")]
    public ValueTask RegistryLookup() => _registryLookup!.RunAsync();

    [Benchmark(Description = "Cosmos DB point read (local server)")]
    public ValueTask CosmosPointRead() => _cosmosPointRead!.RunAsync();

    [Benchmark(Description = "training-data query, DuckDB over 50k events")]
    public ValueTask TrainingDataQuery() => _trainingData!.RunAsync();
}
