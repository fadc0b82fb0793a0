namespace Benchmarks.Core.Workload;

/// <summary>The data set a scenario works on: how many keys, their names, their values, and whether the harness creates them first.</summary>
public sealed record DataDefinition(long Keys, string KeyPrefix, ValueDefinition Value, bool Preload, int PreloadBatch);

/// <summary>What the load does: which keys (the distribution) and which operations, in what proportions.</summary>
public sealed record WorkloadDefinition(KeyDistributionDefinition Distribution, IReadOnlyList<OperationDefinition> Mix);

/// <summary>One entry of the operation mix; <see cref="Settings"/> belongs to the store driver that parsed it.</summary>
public sealed record OperationDefinition(string Name, string Operation, double Weight, object? Settings)
{
    /// <summary>The settings as the store kind that parsed them typed them (<see cref="Stores.StoreDriverFactory{TSettings, TOperationSettings}"/>).</summary>
    public T SettingsOf<T>() where T : class => Settings as T
        ?? throw new InvalidOperationException($"operation '{Name}' carries {Settings?.GetType().Name ?? "no settings"}, not {typeof(T).Name}: it was parsed by another store kind");
}
