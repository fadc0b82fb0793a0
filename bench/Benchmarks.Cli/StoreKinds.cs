using Benchmarks.Core.Stores;
using Benchmarks.Stores.Redis;

namespace Benchmarks.Cli;

/// <summary>The store kinds this build of the CLI knows; a new store project adds its factory here.</summary>
internal static class StoreKinds
{
    public static StoreCatalog Create() => new([new RedisDriverFactory(), new NoopStoreFactory()]);
}
