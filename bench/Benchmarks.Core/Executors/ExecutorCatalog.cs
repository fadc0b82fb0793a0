using Benchmarks.Core.Parsing;

namespace Benchmarks.Core.Executors;

/// <summary>The executor kinds scenarios can name. A new executor is one file and one line here.</summary>
public static class ExecutorCatalog
{
    public static IReadOnlyList<IExecutorKind> All { get; } =
    [
        ConstantArrivalRate.Kind,
        RampingArrivalRate.Kind,
        ConstantConcurrency.Kind,
        CapacitySearch.Kind,
    ];

    /// <summary>The keys of <c>load:</c> that every executor reads.</summary>
    public static IReadOnlyList<string> CommonKeys { get; } = ["executor", "warmup", "operations", "drainTimeout", "selfCheck", "remeasureInconclusive"];

    public static IReadOnlyDictionary<string, IExecutorKind> ByName { get; } = All.ToDictionary(k => k.Name, StringComparer.Ordinal);

    /// <summary>Reports each key present that belongs to another executor, with why it does not apply to <paramref name="kind"/>.</summary>
    public static void RefuseForeignKeys(ScenarioSection load, IExecutorKind kind)
    {
        foreach (var key in All.SelectMany(k => k.Keys).Distinct(StringComparer.Ordinal).Where(k => !kind.Keys.Contains(k, StringComparer.Ordinal)))
        {
            if (load.Has(key))
            {
                load.Fail(key, $"'{key}' does not apply to executor {kind.Name}", kind.WhyNot(key) ?? "remove it");
            }
        }
    }
}
