using BenchmarkDotNet.Attributes;
using Benchmarks.Core.Execution;
using Benchmarks.Core.Flows;
using Benchmarks.Core.Loading;
using Benchmarks.Core.Recording;
using Benchmarks.Core.Stores;
using Benchmarks.Core.Workload;

namespace Benchmarks.Micro;

/// <summary>
/// The flow engine's own cost: a flow instance of one step and of four steps over a no-op store, each step
/// timed, recorded and its store's measures kept, the instance's end to end recorded. The cost of a step is
/// the difference per added step; what a flow adds over a plain operation is the one-step flow less
/// <see cref="DispatchBenchmarks"/>' plain run.
/// </summary>
[MemoryDiagnoser]
public class FlowBenchmarks : IDisposable
{
    private readonly List<IDisposable> _sessions = [];
    private OperationRunner _oneStep = null!;
    private OperationRunner _fourSteps = null!;
    private long _sequence;

    [GlobalSetup]
    public void Setup()
    {
        _oneStep = Runner(1);
        _fourSteps = Runner(4);
    }

    private OperationRunner Runner(int steps)
    {
        var catalog = new StoreCatalog([new NoopStoreFactory()]);
        var stepList = string.Join(", ", Enumerable.Range(1, steps).Select(i => $"{{ name: s{i}, store: a, op: noop }}"));
        var scenario = new ScenarioLoader(catalog, _ => null).Load($$"""
            name: flow-bench
            stores: { a: { kind: noop } }
            data: { keys: 100000 }
            workload: { distribution: zipfian(0.99) }
            flows: [ { name: f, steps: [ {{stepList}} ] } ]
            load: { executor: constant-arrival-rate, rate: 1000/s, duration: 1s }
            """, "flow-bench.yaml");
        var driver = new FlowDriver((FlowStores)scenario.Store.Settings, catalog, scenario.Data.Keys);
        driver.ConnectAsync(CancellationToken.None).GetAwaiter().GetResult();
        var workload = new WorkloadContext(1, "k:", new ZipfianKeys(100_000, 0.99), new ValueGenerator(new ValueDefinition(ValueKind.Bytes, Bytes: 16), 1));
        var operations = scenario.Workload.Mix.Select(m => driver.CreateOperation(m, workload)).ToList();
        driver.BindAsync(CancellationToken.None).GetAwaiter().GetResult();
        var session = new RecordingSession(driver.Plan(scenario.Workload.Mix), null, SilentProgress.Instance, Timing.Now);
        _sessions.Add(session);
        return new OperationRunner(driver, operations, new OperationMix([1]), 1, session, CancellationToken.None);
    }

    public void Dispose()
    {
        _sessions.ForEach(s => s.Dispose());
        GC.SuppressFinalize(this);
    }

    [Benchmark(Baseline = true, Description = "flow of 1 step (no-op store): key, context, step and flow timed and recorded")]
    public ValueTask OneStep() => _oneStep.RunAsync(_sequence++, Timing.Now, measured: true);

    [Benchmark(Description = "flow of 4 steps (no-op store)")]
    public ValueTask FourSteps() => _fourSteps.RunAsync(_sequence++, Timing.Now, measured: true);
}
