namespace Benchmarks.Core.Flows;

/// <summary>
/// A multi-step transaction of the open model: the unit of arrival. Each instance has an intended start
/// (from the executor's schedule); its steps run in order and are timed by <see cref="FlowContext"/>, each
/// from its own intended start (the previous step's end plus any think time), the flow from its own.
/// </summary>
/// <remarks>
/// Part of the harness's public flow API (version <see cref="FlowApi.Version"/>). Write a subclass for a flow of
/// your own: declare its steps and counters in the constructor (<see cref="Step"/>, <see cref="Counter"/>),
/// take the connected stores' clients in <see cref="BindAsync"/>, and do one instance's work in
/// <see cref="RunAsync"/>, timing every store call through the context. A scenario runs it by type name
/// (<c>flows: [ { type: My.Flow, assembly: bin/My.dll } ]</c>), or your own program hands it to
/// <c>Benchmarks.Cli.Bench.RunAsync</c>. One instance of the class serves every concurrent flow
/// instance of a run: keep per-instance state in locals, not in fields.
/// </remarks>
public abstract class Flow
{
    private readonly List<FlowStep> _steps = [];
    private readonly List<FlowCounter> _counters = [];

    /// <summary>A flow named <paramref name="name"/>: thresholds and reports address it and its steps by it (<c>name.p(99)</c>, <c>name.step.p(99)</c>).</summary>
    protected Flow(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
    }

    /// <summary>The flow's name: letters, digits, '-' and '_'.</summary>
    public string Name { get; }

    /// <summary>The steps, in the order they were declared.</summary>
    public IReadOnlyList<FlowStep> Steps => _steps;

    /// <summary>The counters a step may set (at most <see cref="FlowCounter.MaxPerFlow"/>); the hit ratio is always kept.</summary>
    public IReadOnlyList<FlowCounter> Counters => _counters;

    /// <summary>Declares a step that calls the store named <paramref name="store"/> in the scenario's <c>stores:</c>; its errors are classified by that store.</summary>
    protected FlowStep Step(string name, string store)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(store);
        if (_steps.Any(s => s.Name == name))
        {
            throw new ArgumentException($"flow '{Name}' already has a step named '{name}'", nameof(name));
        }

        var step = new FlowStep(name, store, _steps.Count);
        _steps.Add(step);
        return step;
    }

    /// <summary>Declares a counter (<c>fallbacks</c>, <c>bytes_written</c>): reported per flow with its total and rate, and judged as <c>flow.name_per_s</c>.</summary>
    protected FlowCounter Counter(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (_counters.Count == FlowCounter.MaxPerFlow)
        {
            throw new InvalidOperationException($"flow '{Name}' declares more than {FlowCounter.MaxPerFlow} counters");
        }

        if (name == FlowMetrics.Hit.Name || _counters.Any(c => c.Name == name))
        {
            throw new ArgumentException($"flow '{Name}' already has a counter named '{name}'", nameof(name));
        }

        var counter = new FlowCounter(new Stores.StoreMetric(name, "count", $"a counter of flow '{Name}'"));
        _counters.Add(counter);
        return counter;
    }

    /// <summary>Called once, after the stores are connected and preloaded and before any instance runs: take the clients you need here.</summary>
    public virtual ValueTask BindAsync(FlowEnvironment environment, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>One instance of the flow. Throw to fail it (a step's failure already is); the harness records the end-to-end time.</summary>
    public abstract ValueTask RunAsync(FlowContext context);
}

/// <summary>The version of the flow API (<see cref="Flow"/>, <see cref="FlowContext"/>, <see cref="FlowEnvironment"/>); a breaking change raises the major number.</summary>
public static class FlowApi
{
    public const string Version = "1.0";
}

/// <summary>A declared step of a flow: its name, the store it calls, its position.</summary>
public sealed class FlowStep
{
    internal FlowStep(string name, string store, int index)
    {
        Name = name;
        Store = store;
        Index = index;
    }

    public string Name { get; }

    /// <summary>The name of the store it calls, in the scenario's <c>stores:</c>.</summary>
    public string Store { get; }

    public int Index { get; }
}

/// <summary>A declared counter of a flow.</summary>
public sealed class FlowCounter
{
    /// <summary>How many counters a flow may declare besides its hit ratio.</summary>
    public const int MaxPerFlow = Stores.OperationMeasures.Capacity - 1;

    internal FlowCounter(Stores.StoreMetric metric) => Metric = metric;

    public string Name => Metric.Name;

    internal Stores.StoreMetric Metric { get; }
}

/// <summary>The metrics every flow keeps, declared once.</summary>
public static class FlowMetrics
{
    /// <summary>1 for a lookup that hit, 0 for one that missed: its count is the lookups, its sum the hits, so the hit ratio is exact.</summary>
    public static readonly Stores.StoreMetric Hit = new(Results.OperationResult.HitMetric, "hits", "1 per lookup that found its key, 0 per miss: the flow's hit ratio is sum / count");
}
