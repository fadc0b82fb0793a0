using Benchmarks.Core.Stores;
using Benchmarks.Core.Workload;

namespace Benchmarks.Core.Flows;

/// <summary>
/// The stores of a flow scenario behind one driver: connects each in turn, preloads each with its share of
/// the keys, makes each flow (an operation of the executor's mix) and binds it to the connected stores,
/// and classifies a flow's failure as the store of its failing step did.
/// </summary>
public sealed class FlowDriver : IStoreDriver, IPreloadingDriver
{
    private readonly List<(NamedStore Store, IStoreDriverFactory Factory, IStoreDriver Driver)> _stores = [];
    private readonly List<Flow> _flows = [];
    private readonly long _keys;
    private FlowEnvironment? _environment;

    public FlowDriver(FlowStores stores, StoreCatalog catalog, long keys)
    {
        ArgumentNullException.ThrowIfNull(stores);
        ArgumentNullException.ThrowIfNull(catalog);
        _keys = keys;
        foreach (var s in stores.Stores)
        {
            var factory = catalog.Get(s.Kind);
            _stores.Add((s, factory, factory.Create(s.Settings)));
        }
    }

    /// <summary>The recorders a window of this scenario needs: each flow (in mix order, with its hit ratio and counters), then each flow's steps with their store's metrics.</summary>
    public IReadOnlyList<Recording.RecorderPlan> Plan(IReadOnlyList<OperationDefinition> mix)
    {
        var plan = new List<Recording.RecorderPlan>();
        foreach (var (flow, entry) in _flows.Zip(mix))
        {
            plan.Add(new(entry.Name, "flow", null, [FlowMetrics.Hit, .. flow.Counters.Select(c => c.Metric)]));
        }

        foreach (var flow in _flows)
        {
            plan.AddRange(flow.Steps.Select(step =>
            {
                var (store, factory, _) = _stores.Single(s => s.Store.Name == step.Store);
                var operation = (flow as YamlFlow)?.OperationOf(step) ?? "code";
                // A YAML flow always starts at its first step: the others start when a step ends, never late by the generator.
                return new Recording.RecorderPlan(FlowNames.Step(flow.Name, step.Name), $"{store.Name}:{operation}", flow.Name,
                    (factory as IReportsStoreMetrics)?.Metrics ?? []) { LagFree = flow is YamlFlow && step.Index > 0 };
            }));
        }

        return plan;
    }

    public async Task<StoreInfo> ConnectAsync(CancellationToken cancellationToken)
    {
        var infos = new List<(string Name, StoreInfo Info)>();
        foreach (var (store, _, driver) in _stores)
        {
            infos.Add((store.Name, await driver.ConnectAsync(cancellationToken)));
        }

        string Join(Func<StoreInfo, string?> part) => string.Join("; ", infos.Select(i => $"{i.Name}: {part(i.Info) ?? "?"}"));
        return new StoreInfo(Join(i => i.Target), Join(i => i.ClientLibrary), Join(i => i.ClientVersion), Join(i => i.ServerName), Join(i => i.ServerVersion));
    }

    /// <summary>The store named <paramref name="name"/> as a scripted fault acts on it; null when it cannot take faults.</summary>
    public IFaultTarget? Target(string? name) => _stores.FirstOrDefault(s => s.Store.Name == name).Driver as IFaultTarget;

    /// <summary>Makes the flow of one mix entry; it runs once <see cref="BindAsync"/> has handed it the connected stores.</summary>
    public IStoreOperation CreateOperation(OperationDefinition operation, WorkloadContext workload)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(workload);
        var flow = operation.SettingsOf<FlowDefinition>().Create();
        _flows.Add(flow);
        var environment = Environment(workload);
        return new FlowOperation(new BoundFlow(flow, workload, [.. flow.Steps.Select(s => environment.Store(s.Store))]));
    }

    /// <summary>Hands every flow the connected stores; after the preload, before the first instance.</summary>
    public async Task BindAsync(CancellationToken cancellationToken)
    {
        foreach (var flow in _flows)
        {
            await flow.BindAsync(_environment!, cancellationToken);
        }
    }

    private FlowEnvironment Environment(WorkloadContext workload) => _environment ??= new FlowEnvironment(
        _stores.ToDictionary(s => s.Store.Name, s => new FlowStore(s.Store.Name, s.Store.Kind, s.Driver)), workload, _keys)
    {
        ByKeyIndex = new WorkloadContext(workload.Seed, workload.KeyPrefix, new SequentialKeys(_keys), workload.Values),
    };

    public ErrorKind Classify(Exception error) => error is StepFailedException failed ? failed.Kind : ErrorKind.Other;

    /// <summary>Each store's own preload, of its share of the keys (keys 0 to share × keys - 1).</summary>
    public async Task PreloadAsync(WorkloadContext workload, DataDefinition data, IProgress<long> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        long before = 0;
        foreach (var (store, _, driver) in _stores)
        {
            if (driver is IPreloadingDriver preloading && Share(store, data) is { Keys: > 0 } share)
            {
                var offset = before;
                await preloading.PreloadAsync(workload, share, new Progress<long>(done => progress.Report(offset + done)), cancellationToken);
                before += preloading.DescribePreload(share).Count;
            }
        }
    }

    public (long Count, string Description) DescribePreload(DataDefinition data)
    {
        var parts = _stores.Where(s => s.Driver is IPreloadingDriver && Share(s.Store, data).Keys > 0)
            .Select(s => (s.Store.Name, Preload: ((IPreloadingDriver)s.Driver).DescribePreload(Share(s.Store, data)))).ToList();
        return (parts.Sum(p => p.Preload.Count), string.Join("; ", parts.Select(p => $"{p.Name}: {p.Preload.Description}")));
    }

    private static DataDefinition Share(NamedStore store, DataDefinition data) =>
        data with { Keys = (long)Math.Round(data.Keys * store.PreloadFraction) };

    public async ValueTask DisposeAsync()
    {
        foreach (var (_, _, driver) in _stores)
        {
            await driver.DisposeAsync();
        }
    }
}

/// <summary>A flow as an entry of the executor's mix; the operation runner runs it through a <see cref="FlowRun"/>, never through <see cref="ExecuteAsync"/>.</summary>
public sealed class FlowOperation(BoundFlow flow) : IStoreOperation
{
    public BoundFlow Flow => flow;

    public ValueTask ExecuteAsync(OperationRandom random, long sequence, CancellationToken cancellationToken) =>
        throw new InvalidOperationException($"flow '{flow.Flow.Name}' runs through its FlowRun, which records its steps");
}
