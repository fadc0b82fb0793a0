using Benchmarks.Core.Stores;
using Benchmarks.Stores.Analytics;
using Benchmarks.Stores.Blob;
using Benchmarks.Stores.Cosmos;
using Benchmarks.Stores.Redis;
using Benchmarks.Stores.Relational.Registry;

namespace Benchmarks.Cli;

/// <summary>The store kinds this build of the CLI knows; a new store project adds its factory here.</summary>
internal static class StoreKinds
{
    public static StoreCatalog Create() => new([new RedisDriverFactory(), new CosmosDriverFactory(), RegistryDriverFactory.Postgres, RegistryDriverFactory.SqlServer, new AnalyticsDriverFactory(), new BlobDriverFactory(), new NoopStoreFactory()]);
}
