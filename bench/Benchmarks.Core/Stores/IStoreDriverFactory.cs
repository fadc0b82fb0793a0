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

/// <summary>
/// A store kind with typed settings: the scenario model carries each kind's settings as it parsed
/// them, and this base is the one place that hands them back to the kind as its own records.
/// </summary>
/// <typeparam name="TSettings">What the <c>store:</c> section says (connection, pool sizes).</typeparam>
/// <typeparam name="TOperationSettings">What one entry of <c>workload.mix</c> says (keys per MGET, query text).</typeparam>
public abstract class StoreDriverFactory<TSettings, TOperationSettings> : IStoreDriverFactory
    where TSettings : class
    where TOperationSettings : class
{
    public abstract string Kind { get; }

    public abstract string Description { get; }

    public abstract IReadOnlyList<string> Operations { get; }

    /// <inheritdoc cref="IStoreDriverFactory.ParseSettings"/>
    public abstract TSettings ParseSettings(ScenarioSection store);

    /// <inheritdoc cref="IStoreDriverFactory.RedactTarget"/>
    public abstract string RedactTarget(TSettings settings);

    /// <inheritdoc cref="IStoreDriverFactory.ParseOperation"/>
    public abstract TOperationSettings? ParseOperation(string operation, ScenarioSection entry);

    public abstract IStoreDriver Create(TSettings settings);

    object IStoreDriverFactory.ParseSettings(ScenarioSection store) => ParseSettings(store);

    string IStoreDriverFactory.RedactTarget(object settings) => RedactTarget(Typed(settings));

    object? IStoreDriverFactory.ParseOperation(string operation, ScenarioSection entry) => ParseOperation(operation, entry);

    IStoreDriver IStoreDriverFactory.Create(object settings) => Create(Typed(settings));

    private TSettings Typed(object settings) => settings as TSettings
        ?? throw new ArgumentException($"store kind '{Kind}' takes {typeof(TSettings).Name}, not {settings.GetType().Name}: the settings were parsed by another kind", nameof(settings));
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
