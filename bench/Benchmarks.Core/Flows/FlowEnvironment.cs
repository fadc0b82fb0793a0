using Benchmarks.Core.Stores;
using Benchmarks.Core.Workload;

namespace Benchmarks.Core.Flows;

/// <summary>What a flow is given once, before it runs: the scenario's connected stores by name and its workload (keys and values).</summary>
public sealed class FlowEnvironment
{
    private readonly IReadOnlyDictionary<string, FlowStore> _stores;

    internal FlowEnvironment(IReadOnlyDictionary<string, FlowStore> stores, WorkloadContext workload, long keys)
    {
        _stores = stores;
        Workload = workload;
        Keys = keys;
    }

    /// <summary>The scenario's key distribution, value generator and key names; <see cref="FlowContext.KeyIndex"/> is already drawn from it per instance.</summary>
    public WorkloadContext Workload { get; }

    /// <summary>The workload with a key distribution that maps a sequence number to itself: YAML steps are handed the instance's key index as their sequence.</summary>
    internal WorkloadContext ByKeyIndex { get; init; } = null!;

    /// <summary>How many keys the data set has (<c>data.keys</c>).</summary>
    public long Keys { get; }

    /// <summary>The names of the scenario's stores.</summary>
    public IReadOnlyCollection<string> StoreNames => [.. _stores.Keys];

    /// <summary>The connected store named <paramref name="name"/> in <c>stores:</c>.</summary>
    public FlowStore Store(string name) => _stores.TryGetValue(name, out var store) ? store
        : throw new ArgumentException($"the scenario has no store named '{name}'; its stores: {string.Join(", ", _stores.Keys)}", nameof(name));
}

/// <summary>One connected store of a flow scenario.</summary>
public sealed class FlowStore
{
    internal FlowStore(string name, string kind, IStoreDriver driver)
    {
        Name = name;
        Kind = kind;
        Driver = driver;
    }

    public string Name { get; }

    /// <summary>Its kind: redis, cosmos, postgres, sqlserver, blob...</summary>
    public string Kind { get; }

    internal IStoreDriver Driver { get; }

    /// <summary>
    /// The connected SDK client: StackExchange.Redis <c>IDatabase</c> or <c>ConnectionMultiplexer</c>, Cosmos
    /// <c>Container</c> or <c>CosmosClient</c>, <c>NpgsqlDataSource</c>, <c>SqlConnection</c> (a new one, open it
    /// yourself), <c>BlobContainerClient</c>. Throws when the store has no client of that type.
    /// </summary>
    public T Client<T>() where T : class =>
        Driver is IExposesClient exposes
            ? exposes.Client<T>() ?? throw new InvalidOperationException(
                $"store '{Name}' ({Kind}) has no client of type {typeof(T).Name}; it has: {string.Join(", ", exposes.ClientTypes.Select(t => t.Name))}")
            : throw new InvalidOperationException($"store '{Name}' ({Kind}) does not hand out a client");

    /// <summary>How the harness classifies <paramref name="error"/> for this store (timeout, throttled, not-found...).</summary>
    public ErrorKind Classify(Exception error) => Driver.Classify(error);
}
