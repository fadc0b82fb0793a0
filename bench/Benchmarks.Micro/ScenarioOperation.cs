using Benchmarks.Core.Loading;
using Benchmarks.Core.Stores;
using Benchmarks.Core.Workload;
using Benchmarks.Stores.Analytics;
using Benchmarks.Stores.Blob;
using Benchmarks.Stores.Cosmos;
using Benchmarks.Stores.Relational.Registry;

namespace Benchmarks.Micro;

/// <summary>
/// The first operation of a scenario's mix, connected and preloaded exactly as a run does it, so a
/// benchmark times the harness's own store call (client, statement, reading the result), not a copy of it.
/// </summary>
internal sealed class ScenarioOperation : IAsyncDisposable
{
    private static readonly StoreCatalog Catalog = new([new CosmosDriverFactory(), RegistryDriverFactory.Postgres, new AnalyticsDriverFactory(), new BlobDriverFactory()]);
    private readonly IStoreDriver _driver;
    private readonly IStoreOperation _operation;
    private readonly ulong _seed;
    private long _sequence;

    private ScenarioOperation(IStoreDriver driver, IStoreOperation operation, ulong seed) => (_driver, _operation, _seed) = (driver, operation, seed);

    public static async Task<ScenarioOperation> StartAsync(string yaml)
    {
        var scenario = new ScenarioLoader(Catalog, _ => null).Load(yaml, "micro.yaml");
        var driver = Catalog.Get(scenario.Store.Kind).Create(scenario.Store.Settings);
        await driver.ConnectAsync(CancellationToken.None);
        var workload = new WorkloadContext(scenario.Seed, scenario.Data.KeyPrefix, scenario.Workload.Distribution.Create(scenario.Data.Keys),
            new ValueGenerator(scenario.Data.Value, scenario.Seed));
        if (scenario.Data.Preload && driver is IPreloadingDriver preloading)
        {
            await preloading.PreloadAsync(workload, scenario.Data, new Progress<long>(), CancellationToken.None);
        }

        return new ScenarioOperation(driver, driver.CreateOperation(scenario.Workload.Mix[0], workload), scenario.Seed);
    }

    public ValueTask RunAsync()
    {
        var sequence = _sequence++;
        return _operation.ExecuteAsync(new OperationRandom(_seed, sequence), sequence, CancellationToken.None);
    }

    public ValueTask DisposeAsync() => _driver.DisposeAsync();
}
