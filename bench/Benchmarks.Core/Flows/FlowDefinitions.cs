using Benchmarks.Core.Workload;

namespace Benchmarks.Core.Flows;

/// <summary>The <c>stores:</c> of a flow scenario: each store by the name its steps use, as its kind parsed it.</summary>
public sealed record FlowStores(IReadOnlyList<NamedStore> Stores)
{
    /// <summary>The target as it may be printed: each store's name, kind and redacted target.</summary>
    public string RedactedTarget => string.Join("; ", Stores.Select(s => $"{s.Name}: {s.Kind} {s.RedactedTarget}"));
}

/// <param name="PreloadFraction">The share of <c>data.keys</c> preloaded into this store (a cache holds 80% of the keys: 0.8).</param>
public sealed record NamedStore(string Name, string Kind, object Settings, string RedactedTarget, double PreloadFraction);

/// <summary>
/// One flow of the scenario, as the loader validated it: its name, its steps (name and store, for thresholds
/// and recorders), and how to make it: a <see cref="YamlFlow"/> from its steps, or the user's <see cref="Flow"/> type.
/// </summary>
public sealed record FlowDefinition(string Name, IReadOnlyList<(string Name, string Store)> Steps, IReadOnlyList<string> Counters, Func<Flow> Create);

/// <summary>One step of a YAML flow.</summary>
/// <param name="Operation">The store operation it runs, as the store kind parsed it.</param>
/// <param name="Think">Think time before the step: its intended start is the previous step's end plus this.</param>
/// <param name="OnHit">Where a hit goes: a later step's name, or <see cref="YamlFlow.End"/>; null: the next step.</param>
/// <param name="OnMiss">Where a miss goes, the same way.</param>
public sealed record StepDefinition(string Name, string Store, OperationDefinition Operation, TimeSpan Think, string? OnHit, string? OnMiss);
