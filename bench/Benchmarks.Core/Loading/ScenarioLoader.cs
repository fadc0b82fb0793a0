using System.Text.RegularExpressions;
using Benchmarks.Core.Executors;
using Benchmarks.Core.Health;
using Benchmarks.Core.Parsing;
using Benchmarks.Core.Scenarios;
using Benchmarks.Core.Stores;
using Benchmarks.Core.Thresholds;
using Benchmarks.Core.Workload;

namespace Benchmarks.Core.Loading;

/// <summary>
/// Reads a scenario file strictly: every problem (syntax, unknown key, bad unit, impossible value,
/// unknown operation) is collected with file:line:column and a hint, then thrown at once as a
/// <see cref="ScenarioException"/> before any load starts.
/// </summary>
public sealed partial class ScenarioLoader
{
    private static readonly Dictionary<string, ValueKind> ValueKinds = new(StringComparer.Ordinal)
    {
        ["feature-vector"] = ValueKind.FeatureVector,
        ["json-document"] = ValueKind.JsonDocument,
        ["bytes"] = ValueKind.Bytes,
    };

    private static readonly Dictionary<string, VectorEncoding> Encodings = new(StringComparer.Ordinal)
    {
        ["float32"] = VectorEncoding.Float32,
        ["json"] = VectorEncoding.Json,
    };

    private readonly StoreCatalog _stores;
    private readonly Func<string, string?> _environment;

    public ScenarioLoader(StoreCatalog stores, Func<string, string?>? environment = null)
    {
        _stores = stores;
        _environment = environment ?? Environment.GetEnvironmentVariable;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    public Scenario LoadFile(string path, IReadOnlyList<string>? overrides = null)
    {
        if (!File.Exists(path))
        {
            throw new ScenarioException([new ScenarioError(SourceLocation.CommandLine(path), "scenario file not found",
                "give the path of a .yaml file; `bench list` shows the scenarios of this repository")]);
        }

        return Load(File.ReadAllText(path), path, overrides);
    }

    public Scenario Load(string text, string source, IReadOnlyList<string>? overrides = null)
    {
        var errors = new ScenarioErrors();
        var substituted = EnvironmentSubstitution.Apply(text, source, _environment, errors);
        if (errors.Any)
        {
            // Values that could not be substituted would only cause knock-on errors further down.
            throw new ScenarioException(errors.All);
        }

        var root = YamlDocumentReader.Read(substituted, source, errors);
        Overrides.Apply(root, overrides ?? [], errors);
        var top = new ScenarioSection(root, source, "", errors);
        var scenario = Bind(top, source);
        top.Complete();
        if (errors.Any || scenario is null)
        {
            throw new ScenarioException(errors.All);
        }

        return scenario;
    }

    private Scenario? Bind(ScenarioSection top, string source)
    {
        var name = top.GetString("name", required: true) ?? "";
        if (name.Length > 0 && !NamePattern().IsMatch(name))
        {
            top.Fail("name", $"'{name}' cannot be used as a folder name", "use letters, digits, '-', '_' and '.'");
        }

        var description = top.GetString("description");
        var seed = (ulong)top.GetInteger("seed", 1, min: 0);

        StoreDefinition? store;
        IStoreDriverFactory? factory = null;
        WorkloadDefinition? workload;
        IReadOnlyList<SlaTarget> targets;
        var isFlow = top.Has("flows");
        if (isFlow)
        {
            if (top.Has("store"))
            {
                top.Fail("store", "a flow scenario names its stores under 'stores:'", "move it there under a name its steps use: stores: { cache: { kind: redis, ... } }");
            }

            (store, var flows, targets) = FlowBinding.Bind(top, _stores);
            workload = BindWorkload(top.GetSection("workload"), null, flows);
        }
        else
        {
            if (top.Has("stores"))
            {
                top.Fail("stores", "'stores:' names the stores of flows, and this scenario has none", "add 'flows:', or use 'store:' for one store");
            }

            store = BindStore(top.GetSection("store", required: true), out factory);
            workload = BindWorkload(top.GetSection("workload", required: true), factory, null);
            var metrics = (factory as IReportsStoreMetrics)?.Metrics ?? [];
            targets = [.. workload?.Mix.Select(m => new SlaTarget(m.Name, metrics, $"store kind '{factory?.Kind}'", IsFlow: false)) ?? []];
        }

        var data = BindData(top.GetSection("data"));
        var sla = BindSla(top, targets, isFlow, metricsKnown: isFlow || factory is not null);
        var abortOn = AbortRuleBinding.Bind(top, workload);
        var load = BindLoad(top.GetSection("load", required: true));
        var faults = FaultBinding.Bind(top, store, load?.MeasuredDuration);
        FaultBinding.CheckThresholds(top, sla, faults);

        if (store is null || workload is null || load is null)
        {
            return null;
        }

        var sizing = BindSizing(top.GetSection("sizing"));
        var chargesRequestUnits = (factory as IReportsStoreMetrics)?.Metrics.Any(m => m.Name == StoreMetric.RequestUnits) == true;
        if (sizing is not null && isFlow)
        {
            top.Fail("sizing", "sizing is per store, and a flow spans several", "size each store with its own capacity-search scenario");
        }
        else if (sizing is not null && load.Executor is not CapacitySearch && !chargesRequestUnits)
        {
            top.Fail("sizing", "sizing needs a measured capacity (or a store that charges request units)", "use it with load.executor: capacity-search");
        }

        if (faults.Count > 0 && load.Executor is CapacitySearch)
        {
            top.Fail("faults", "a capacity search measures many windows, and a fault belongs to one", "script faults in a constant-rate or ramping scenario");
        }

        return new Scenario(name, description, source, seed, store, data, workload, load, sla)
        {
            Gate = BindGate(top.GetSection("gate")),
            Sizing = sizing,
            AbortOn = abortOn,
            Faults = faults,
        };
    }

    private static Capacity.SizingInputs? BindSizing(ScenarioSection? section)
    {
        if (section is null)
        {
            return null;
        }

        var inputs = new Capacity.SizingInputs(
            section.GetRate("targetRate", 1, required: true),
            section.GetPercent("headroom", 30),
            section.Has("pricePerNodeMonth") ? section.GetNumber("pricePerNodeMonth", 0, min: 0) : null,
            section.Has("ruPerOperation") ? section.GetNumber("ruPerOperation", 1, min: 0.01) : null,
            section.Has("pricePer100RuMonth") ? section.GetNumber("pricePer100RuMonth", 0, min: 0) : null);
        section.Complete();
        return inputs;
    }

    private static Dictionary<string, double> BindGate(ScenarioSection? section)
    {
        var gate = new Dictionary<string, double>(StringComparer.Ordinal);
        if (section is null)
        {
            return gate;
        }

        foreach (var metric in GateTolerances.Metrics)
        {
            var text = section.GetString(metric);
            if (text is null)
            {
                continue;
            }

            if (GateTolerances.TryParse(metric, text, out var value))
            {
                gate[metric] = value;
            }
            else
            {
                section.Fail(metric, $"'{text}' is not a tolerance", "write " + GateTolerances.Expected(metric));
            }
        }

        section.Complete();
        return gate;
    }

    private StoreDefinition? BindStore(ScenarioSection? section, out IStoreDriverFactory? factory)
    {
        factory = null;
        if (section is null)
        {
            return null;
        }

        var kind = section.GetString("kind", required: true);
        if (kind is null)
        {
            return null;
        }

        if (!_stores.TryGet(kind, out factory))
        {
            var kinds = _stores.All.Select(f => f.Kind).ToList();
            section.Fail("kind", $"unknown store kind '{kind}'", ScenarioSection.Suggest(kind, kinds) ?? $"known kinds: {string.Join(", ", kinds)}");
            return null;
        }

        var settings = factory.ParseSettings(section);
        section.Complete();
        return new StoreDefinition(kind, settings, factory.RedactTarget(settings));
    }

    private static DataDefinition BindData(ScenarioSection? section)
    {
        var defaults = new DataDefinition(10_000, "key:", new ValueDefinition(ValueKind.Bytes, Bytes: 100), Preload: true, PreloadBatch: 1000);
        if (section is null)
        {
            return defaults;
        }

        var keys = section.GetInteger("keys", defaults.Keys, min: 1);
        var prefix = section.GetString("keyPrefix", defaults.KeyPrefix)!;
        var preload = section.GetBool("preload", defaults.Preload);
        var batch = (int)section.GetInteger("preloadBatch", defaults.PreloadBatch, min: 1, max: 100_000);
        var value = defaults.Value;
        var v = section.GetSection("value");
        if (v is not null)
        {
            var kind = v.GetChoice("kind", ValueKind.Bytes, ValueKinds, required: true);
            value = kind switch
            {
                ValueKind.FeatureVector => new ValueDefinition(kind,
                    Dimensions: (int)v.GetInteger("dims", 128, min: 1, max: 1_000_000),
                    Encoding: v.GetChoice("encoding", VectorEncoding.Float32, Encodings)),
                _ => new ValueDefinition(kind, Bytes: (int)v.GetInteger("bytes", 1024, min: 1, max: 512 * 1024 * 1024)),
            };
            v.Complete();
        }

        section.Complete();
        return new DataDefinition(keys, prefix, value, preload, batch);
    }

    /// <param name="flows">A flow scenario's flows, which are its mix: its <c>workload:</c> only chooses keys.</param>
    private static WorkloadDefinition? BindWorkload(ScenarioSection? section, IStoreDriverFactory? factory, IReadOnlyList<OperationDefinition>? flows)
    {
        var distribution = new KeyDistributionDefinition(KeyDistributionKind.Uniform);
        if (section is null)
        {
            return flows is null ? null : new WorkloadDefinition(distribution, flows);
        }

        var text = section.GetString("distribution");
        if (text is not null && !KeyDistributionDefinition.TryParse(text, out distribution, out var problem))
        {
            section.Fail("distribution", problem!, KeyDistributionDefinition.Hint);
        }

        if (flows is not null)
        {
            if (section.Has("mix"))
            {
                section.Fail("mix", "a flow scenario's flows are its mix", "move the operations into the steps of a flow, and weigh flows with 'weight:'");
            }

            section.Complete();
            return new WorkloadDefinition(distribution, flows);
        }

        var mix = new List<OperationDefinition>();
        foreach (var entry in section.GetMappings("mix", "the operation mix is empty", "add at least one entry, e.g. - { op: get, weight: 100 }",
            "{ op: get, weight: 95 }"))
        {
            var op = entry.GetString("op", required: true);
            var weight = entry.GetNumber("weight", 1, min: 0);
            if (entry.Has("weight") && weight <= 0)
            {
                entry.Fail("weight", "a weight must be above zero", "remove the entry to leave the operation out");
            }

            var name = entry.GetString("name", op) ?? "";
            object? settings = null;
            if (op is not null && factory is not null)
            {
                if (!factory.Operations.Contains(op))
                {
                    entry.Fail("op", $"'{op}' is not an operation of store kind '{factory.Kind}'",
                        ScenarioSection.Suggest(op, factory.Operations) ?? $"operations: {string.Join(", ", factory.Operations)}");
                }
                else
                {
                    settings = factory.ParseOperation(op, entry);
                }
            }

            if (mix.Any(m => m.Name == name))
            {
                entry.Fail("name", $"two mix entries are named '{name}'", "give each entry of the same op a distinct 'name:'");
            }

            entry.Complete();
            if (op is not null)
            {
                mix.Add(new OperationDefinition(name, op, weight, settings));
            }
        }

        section.Complete();
        return new WorkloadDefinition(distribution, mix);
    }

    /// <param name="metricsKnown">False when the store kind is unknown (already reported): store metrics are then not checked.</param>
    private static List<SlaThreshold> BindSla(ScenarioSection top, IReadOnlyList<SlaTarget> targets, bool isFlow, bool metricsKnown)
    {
        var result = new List<SlaThreshold>();
        var dotted = targets.Select(t => t.Name).Where(n => n.Contains('.', StringComparison.Ordinal)).ToList();
        foreach (var (text, item) in top.GetStrings("sla", "each sla entry is one threshold string", SlaThreshold.Hint))
        {
            if (!SlaThreshold.TryParse(text, dotted, out var threshold, out var problem))
            {
                top.Errors.Add(top.At(item), problem!, SlaThreshold.Hint);
                continue;
            }

            var target = threshold.Operation is { } op ? targets.FirstOrDefault(t => t.Name == op) : null;
            if (threshold.Operation is { } unknown && target is null)
            {
                top.Errors.Add(top.At(item), isFlow ? $"'{unknown}' is not a flow or a flow's step" : $"'{unknown}' is not an operation of the mix",
                    $"use one of: {string.Join(", ", targets.Select(t => t.Name))}, or no prefix for the total");
                continue;
            }

            if (threshold.Metric == SlaMetric.HitRatio && (target is { IsFlow: false } || (target is null && !isFlow)))
            {
                top.Errors.Add(top.At(item), $"'{text}': a hit ratio belongs to a flow that branches on a lookup",
                    isFlow ? $"prefix a flow: {string.Join(", ", targets.Where(t => t.IsFlow).Select(t => $"{t.Name}.hit_ratio"))}" : "write the cache and its fallback as a flow's steps");
                continue;
            }

            if (threshold.StoreMetric is { } metric && metricsKnown)
            {
                // The total keeps every metric any of its operations keeps.
                var declared = target?.Metrics ?? [.. targets.SelectMany(t => t.Metrics).DistinctBy(m => m.Name)];
                var what = target?.What ?? (isFlow ? "any step" : (targets.Count > 0 ? targets[0].What : "the store"));
                if (declared.FirstOrDefault(d => d.Name == metric) is not { } definition)
                {
                    top.Errors.Add(top.At(item), $"'{metric}' is not a metric of {what}",
                        (declared.Count > 0 ? $"its metrics: {string.Join(", ", declared.Select(d => d.Name))}; " : "") +
                        (targets.Any(t => t.Name == metric) ? $"a latency target of '{metric}' needs a unit, e.g. '{metric}.p(99) < 5ms'" : "a latency target needs a unit, e.g. 'p(99) < 5ms'"));
                    continue;
                }

                if (threshold.Metric == SlaMetric.StoreRate && !definition.Additive)
                {
                    top.Errors.Add(top.At(item), $"'{metric}' is already a rate; its sum per second means nothing",
                        $"judge its percentiles instead, e.g. '{metric}.p(5) >= ...'");
                    continue;
                }

                threshold = threshold with { StoreUnit = definition.Unit };
            }

            result.Add(threshold);
        }

        return result;
    }

    private static LoadDefinition? BindLoad(ScenarioSection? section)
    {
        if (section is null)
        {
            return null;
        }

        var kind = section.GetChoice("executor", ExecutorCatalog.All[0], ExecutorCatalog.ByName, required: true);
        var warmup = section.GetDuration("warmup", TimeSpan.Zero);
        long? limit = section.Has("operations") ? section.GetInteger("operations", 0, min: 1) : null;
        var drain = section.GetDuration("drainTimeout", TimeSpan.FromSeconds(30), min: TimeSpan.FromMilliseconds(100));
        var limits = BindSelfCheck(section.GetSection("selfCheck"));
        var remeasure = (int)section.GetInteger("remeasureInconclusive", LoadDefinition.DefaultRemeasureInconclusive, min: 0, max: 5);
        ExecutorCatalog.RefuseForeignKeys(section, kind);
        var executor = kind.Parse(section, new LoadCommon(warmup, limit));
        section.Complete();
        return new LoadDefinition(executor, warmup, limit, drain, limits, remeasure);
    }

    private static GeneratorLimits BindSelfCheck(ScenarioSection? section)
    {
        var defaults = GeneratorLimits.Default;
        if (section is null)
        {
            return defaults;
        }

        var limits = new GeneratorLimits(
            section.GetDuration("maxSchedulingLagP99", defaults.MaxSchedulingLagP99),
            section.GetNumber("maxLagShareOfP99", defaults.MaxLagShareOfP99, min: 0, max: 1),
            section.GetDuration("maxThreadPoolDelay", defaults.MaxThreadPoolDelay));
        section.Complete();
        return limits;
    }
}
