using System.Globalization;
using System.Reflection;
using System.Runtime.Loader;
using Benchmarks.Core.Flows;
using Benchmarks.Core.Parsing;
using Benchmarks.Core.Scenarios;
using Benchmarks.Core.Stores;
using Benchmarks.Core.Workload;

namespace Benchmarks.Core.Loading;

/// <summary>
/// Reads a flow scenario's <c>stores:</c> (each store by name, parsed by its kind, with the share of keys it
/// holds) and <c>flows:</c> (YAML steps, or a <see cref="Flow"/> type of the user's), checking every step's
/// store and operation, every branch target and every code-first flow's declared stores before anything runs.
/// </summary>
internal static class FlowBinding
{
    /// <summary>The kind result.json and the console give a flow scenario's store.</summary>
    public const string Kind = "flow";

    public static (StoreDefinition? Store, IReadOnlyList<OperationDefinition> Flows, IReadOnlyList<SlaTarget> Targets) Bind(
        ScenarioSection top, StoreCatalog catalog)
    {
        var stores = BindStores(top.GetSection("stores", required: true), catalog);
        var flows = new List<OperationDefinition>();
        var targets = new List<SlaTarget>();
        foreach (var entry in top.GetMappings("flows", "the list of flows is empty", "add a flow with its steps", "{ name: serving, steps: [ ... ] }"))
        {
            var definition = entry.Has("type") ? BindCode(entry, stores) : BindSteps(entry, stores, catalog);
            var weight = entry.GetNumber("weight", 1, min: 0);
            if (entry.Has("weight") && weight <= 0)
            {
                entry.Fail("weight", "a weight must be above zero", "remove the flow to leave it out");
            }

            entry.Complete();
            if (definition is null)
            {
                continue;
            }

            if (flows.Any(f => f.Name == definition.Name))
            {
                entry.Fail("name", $"two flows are named '{definition.Name}'", "give each flow its own name");
                continue;
            }

            flows.Add(new OperationDefinition(definition.Name, Kind, weight, definition));
            targets.Add(new SlaTarget(definition.Name, [FlowMetrics.Hit, .. definition.Counters.Select(c => new StoreMetric(c, "count", c))], $"flow '{definition.Name}'", IsFlow: true));
            targets.AddRange(definition.Steps.Select(s =>
            {
                var store = stores.Single(n => n.Name == s.Store);
                return new SlaTarget(FlowNames.Step(definition.Name, s.Name), MetricsOf(catalog, store.Kind), $"step '{s.Name}' ({store.Kind})", IsFlow: false);
            }));
        }

        var named = new FlowStores(stores);
        return (stores.Count == 0 ? null : new StoreDefinition(Kind, named, named.RedactedTarget), flows, targets);
    }

    private static IReadOnlyList<StoreMetric> MetricsOf(StoreCatalog catalog, string kind) =>
        (catalog.Get(kind) as IReportsStoreMetrics)?.Metrics ?? [];

    private static List<NamedStore> BindStores(ScenarioSection? section, StoreCatalog catalog)
    {
        var stores = new List<NamedStore>();
        if (section is null)
        {
            return stores;
        }

        foreach (var name in section.Keys())
        {
            var store = section.GetSection(name);
            if (store is null)
            {
                continue;
            }

            var kind = store.GetString("kind", required: true);
            if (kind is null)
            {
                continue;
            }

            if (!catalog.TryGet(kind, out var factory))
            {
                var kinds = catalog.All.Select(f => f.Kind).ToList();
                store.Fail("kind", $"unknown store kind '{kind}'", ScenarioSection.Suggest(kind, kinds) ?? $"known kinds: {string.Join(", ", kinds)}");
                continue;
            }

            var preload = PreloadShare(store);
            var settings = factory.ParseSettings(store);
            store.Complete();
            stores.Add(new NamedStore(name, kind, settings, factory.RedactTarget(settings), preload));
        }

        if (stores.Count == 0 && section.Keys().Count == 0)
        {
            section.Fail("", "no stores are named", "name each store the steps call, e.g. stores: { cache: { kind: redis, connection: embedded } }");
        }

        return stores;
    }

    /// <summary><c>preload: 80%</c>: the share of <c>data.keys</c> this store holds before the run (all of them by default; a cache holds part).</summary>
    private static double PreloadShare(ScenarioSection store)
    {
        var text = store.GetString("preload");
        if (text is null)
        {
            return 1;
        }

        var number = text.EndsWith('%') ? text[..^1] : "";
        if (double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var percent) && percent is >= 0 and <= 100)
        {
            return percent / 100;
        }

        store.Fail("preload", $"'{text}' is not a share of the keys", "write a percentage from 0% to 100%, e.g. preload: 80%");
        return 1;
    }

    private static FlowDefinition? BindSteps(ScenarioSection entry, List<NamedStore> stores, StoreCatalog catalog)
    {
        var name = entry.GetString("name", required: true);
        var steps = new List<StepDefinition>();
        var sections = entry.GetMappings("steps", "a flow needs at least one step", "add a step, e.g. - { name: cache, store: cache, op: get }",
            "{ name: cache, store: cache, op: get }");
        foreach (var s in sections)
        {
            var stepName = s.GetString("name", required: true);
            var storeName = s.GetString("store", required: true);
            var op = s.GetString("op", required: true);
            var think = s.GetDuration("think", TimeSpan.Zero);
            var onHit = s.GetString("onHit");
            var onMiss = s.GetString("onMiss");
            if (stepName is not null && !FlowNamePattern.IsMatch(stepName))
            {
                s.Fail("name", $"'{stepName}' cannot name a step", "use letters, digits, '-' and '_' (no dots: thresholds address steps as flow.step)");
            }

            if (stepName is not null && steps.Any(x => x.Name == stepName))
            {
                s.Fail("name", $"two steps are named '{stepName}'", "give each step of a flow its own name");
            }

            var store = storeName is null ? null : stores.FirstOrDefault(x => x.Name == storeName);
            if (storeName is not null && store is null)
            {
                s.Fail("store", $"'{storeName}' is not one of the scenario's stores",
                    ScenarioSection.Suggest(storeName, stores.Select(x => x.Name)) ?? $"stores: {string.Join(", ", stores.Select(x => x.Name))}");
            }

            object? settings = null;
            if (store is not null && op is not null)
            {
                var factory = catalog.Get(store.Kind);
                if (!factory.Operations.Contains(op))
                {
                    s.Fail("op", $"'{op}' is not an operation of store kind '{store.Kind}'",
                        ScenarioSection.Suggest(op, factory.Operations) ?? $"operations: {string.Join(", ", factory.Operations)}");
                    op = null;
                }
                else
                {
                    settings = factory.ParseOperation(op, s);
                    var finding = (factory as IHasFindingOperations)?.FindingOperations ?? [];
                    if ((onHit is not null || onMiss is not null) && !finding.Contains(op))
                    {
                        s.Fail(onHit is not null ? "onHit" : "onMiss", $"'{op}' of store kind '{store.Kind}' cannot tell a hit from a miss",
                            finding.Count > 0 ? $"branch after one of: {string.Join(", ", finding)}" : "branch after a lookup that can (Redis get, Cosmos DB read)");
                    }
                }
            }

            s.Complete();
            if (stepName is not null && store is not null && op is not null)
            {
                steps.Add(new StepDefinition(stepName, store.Name, new OperationDefinition(stepName, op, 1, settings), think, onHit, onMiss));
            }
        }

        CheckBranches(sections, steps);
        if (name is null || !FlowNamePattern.IsMatch(name))
        {
            if (name is not null)
            {
                entry.Fail("name", $"'{name}' cannot name a flow", "use letters, digits, '-' and '_'");
            }

            return null;
        }

        if (steps.Count == 0 || steps.Count != sections.Count)
        {
            return null;
        }

        return new FlowDefinition(name, [.. steps.Select(s => (s.Name, s.Store))], [], () => new YamlFlow(name, steps));
    }

    /// <summary>A branch goes forward, to a step of the same flow or to <c>end</c>: a flow always ends.</summary>
    private static void CheckBranches(IReadOnlyList<ScenarioSection> sections, List<StepDefinition> steps)
    {
        for (var i = 0; i < steps.Count && i < sections.Count; i++)
        {
            foreach (var (key, target) in new[] { ("onHit", steps[i].OnHit), ("onMiss", steps[i].OnMiss) })
            {
                if (target is null || target == YamlFlow.End)
                {
                    continue;
                }

                var at = steps.FindIndex(s => s.Name == target);
                if (at <= i)
                {
                    sections[i].Fail(key, at < 0 ? $"'{target}' is not a step of this flow" : $"'{target}' is not after this step",
                        $"branch forward to a later step, or to '{YamlFlow.End}'");
                }
            }
        }
    }

    private static FlowDefinition? BindCode(ScenarioSection entry, List<NamedStore> stores)
    {
        var typeName = entry.GetString("type", required: true)!;
        var assemblyPath = entry.GetString("assembly");
        if (entry.Has("steps") || entry.Has("name"))
        {
            entry.Fail(entry.Has("steps") ? "steps" : "name", "a flow of your own declares its name and steps in its class",
                "keep 'type' (and 'assembly'), or write the steps here without 'type'");
            return null;
        }

        Type? type;
        try
        {
            type = assemblyPath is null
                ? FlowTypes.Find(typeName)
                : AssemblyLoadContext.Default.LoadFromAssemblyPath(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(entry.Source)) ?? ".", assemblyPath)))
                    .GetType(typeName, throwOnError: false);
        }
        catch (Exception e) when (e is IOException or BadImageFormatException or ArgumentException)
        {
            entry.Fail("assembly", $"'{assemblyPath}' cannot be loaded: {e.Message}", "give the path of the built .dll, relative to the scenario file");
            return null;
        }

        if (type is null || !typeof(Flow).IsAssignableFrom(type) || type.IsAbstract || type.GetConstructor(Type.EmptyTypes) is null)
        {
            entry.Fail("type", type is null ? $"no type '{typeName}' is found" : $"'{typeName}' is not a Flow with a public parameterless constructor",
                assemblyPath is null ? "give its full name and 'assembly: path/to/Your.dll', or run it from your own program (Bench.RunAsync)"
                    : "give the full name (namespace.Class) of a class deriving from Benchmarks.Core.Flows.Flow");
            return null;
        }

        Flow sample;
        try
        {
            sample = (Flow)Activator.CreateInstance(type)!;
        }
        catch (TargetInvocationException e)
        {
            entry.Fail("type", $"'{typeName}' could not be created: {e.InnerException?.Message}", "its constructor should only declare steps and counters");
            return null;
        }

        var unknown = sample.Steps.Where(s => stores.All(x => x.Name != s.Store)).ToList();
        foreach (var step in unknown)
        {
            entry.Fail("type", $"step '{step.Name}' of flow '{sample.Name}' calls store '{step.Store}', which the scenario does not name",
                $"add it under stores: (the scenario's stores: {string.Join(", ", stores.Select(x => x.Name))})");
        }

        if (unknown.Count > 0)
        {
            return null;
        }

        return new FlowDefinition(sample.Name, [.. sample.Steps.Select(s => (s.Name, s.Store))], [.. sample.Counters.Select(c => c.Name)],
            () => (Flow)Activator.CreateInstance(type)!);
    }

    private static readonly System.Text.RegularExpressions.Regex FlowNamePattern = new("^[A-Za-z0-9][A-Za-z0-9_-]*$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);
}

/// <summary>What a threshold may address: an operation of the mix, a flow or a flow's step, with the store metrics it keeps.</summary>
internal sealed record SlaTarget(string Name, IReadOnlyList<StoreMetric> Metrics, string What, bool IsFlow);
