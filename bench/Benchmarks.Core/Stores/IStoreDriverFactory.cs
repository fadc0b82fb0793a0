using Benchmarks.Core.Parsing;

namespace Benchmarks.Core.Stores;

/// <summary>
/// Parses and validates a store's part of a scenario (so every mistake is found before load starts)
/// and creates the driver. One per store kind.
/// </summary>
public interface IStoreDriverFactory
{
    string Kind { get; }

    string Description { get; }

    IReadOnlyList<string> Operations { get; }

    /// <summary>Reads the <c>store:</c> section (its <c>kind</c> already read); reports problems into the section's errors.</summary>
    object ParseSettings(ScenarioSection store);

    /// <summary>The target as it may be printed: host and port, never a password or key.</summary>
    string RedactTarget(object settings);

    /// <summary>Reads an entry of <c>workload.mix</c> for <paramref name="operation"/> (one of <see cref="Operations"/>).</summary>
    object? ParseOperation(string operation, ScenarioSection entry);

    IStoreDriver Create(object settings);
}

/// <summary>The store kinds this build knows, by name.</summary>
public sealed class StoreCatalog
{
    private readonly Dictionary<string, IStoreDriverFactory> _factories = new(StringComparer.Ordinal);

    public StoreCatalog(IEnumerable<IStoreDriverFactory> factories)
    {
        foreach (var f in factories)
        {
            _factories.Add(f.Kind, f);
        }
    }

    public IReadOnlyCollection<IStoreDriverFactory> All => _factories.Values;

    public bool TryGet(string kind, out IStoreDriverFactory factory) => _factories.TryGetValue(kind, out factory!);

    public IStoreDriverFactory Get(string kind) => _factories[kind];
}
