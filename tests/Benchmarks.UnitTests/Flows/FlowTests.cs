using Benchmarks.Core.Flows;
using Benchmarks.Core.Loading;
using Benchmarks.Core.Recording;
using Benchmarks.Core.Results;
using Benchmarks.Core.Running;
using Benchmarks.Core.Stores;
using Benchmarks.UnitTests.Execution;

namespace Benchmarks.UnitTests.Flows;

/// <summary>Flows run against in-memory stores: what each step and each flow records, and how they add up.</summary>
[Collection(nameof(TimingSensitive))]
public sealed class FlowTests : IDisposable
{
    private readonly string _output = Directory.CreateTempSubdirectory("bench-flow-").FullName;
    private readonly KeyValueFake _kv = new();

    public void Dispose() => Directory.Delete(_output, recursive: true);

    private StoreCatalog Catalog => new([_kv, new NoopStoreFactory()]);

    private Task<RunOutcome> Run(string yaml) =>
        new ScenarioRunner(Catalog).RunAsync(Load(yaml), new RunOptions(_output, [], SilentProgress.Instance), TestContext.Current.CancellationToken);

    private Benchmarks.Core.Scenarios.Scenario Load(string yaml) => new ScenarioLoader(Catalog, _ => null).Load(yaml, "flow.yaml");

    private const string CacheAside = """
        name: cache-aside
        seed: 5
        stores:
          cache: { kind: kv, label: cache, preload: 80% }
          db: { kind: kv, label: db }
        data: { keys: 1000 }
        workload: { distribution: uniform }
        flows:
          - name: serving
            steps:
              - { name: cache, store: cache, op: get, onHit: end }
              - { name: db, store: db, op: get }
        load: { executor: constant-arrival-rate, rate: 20000/s, operations: 20000, maxInFlight: 512 }
        sla: [ "serving.hit_ratio >= 0.78", "serving.cache.p(99) < 1h" ]
        """;

    [Fact]
    public async Task The_hit_ratio_is_the_cached_share_and_step_counts_add_up_to_the_flows()
    {
        var result = (await Run(CacheAside)).Result;
        var flow = result.Operations.Single(o => o.Name == "serving");
        var cache = result.Operations.Single(o => o.Name == "serving.cache");
        var db = result.Operations.Single(o => o.Name == "serving.db");

        Assert.Equal(RunStatus.Passed, result.Status);
        Assert.Equal(20_000, flow.Count);
        Assert.Equal(flow.Count, cache.Count);
        var hits = (long)flow.Metrics!["hit"].Total!.Value;
        Assert.Equal(flow.Count, flow.Metrics["hit"].Count);
        Assert.Equal(flow.Count - hits, db.Count);
        Assert.InRange(flow.HitRatio!.Value, 0.79, 0.81);
        Assert.Equal("serving", cache.PartOf);
        Assert.Null(flow.PartOf);
        // The total is the flows', not the flows' plus their steps'.
        Assert.Equal(flow.Count, result.Total.Count);
        Assert.Contains(result.Sla, v => v.Threshold == "serving.hit_ratio >= 0.78" && v.Passed && Math.Abs(v.Measured - flow.HitRatio.Value) < 1e-6);

        // Where the time goes: the fallback runs on misses only, and the steps' shares and the rest make the whole mean.
        var breakdown = Assert.Single(FlowBreakdown.Of(result));
        Assert.Equal(["cache", "db"], breakdown.Steps.Select(s => s.Step));
        Assert.Equal(1.0, breakdown.Steps[0].CallsPerFlow);
        Assert.Equal(1 - flow.HitRatio.Value, breakdown.Steps[1].CallsPerFlow, 6);
        Assert.Equal(breakdown.MeanMs, breakdown.Steps.Sum(s => s.MeanPerFlowMs) + breakdown.OtherMs, 6);
        Assert.InRange(breakdown.Steps.Sum(s => s.SharePercent), 1, 100.001);

        // A run killed before its end is rebuilt from its .hlog with its flows and their steps.
        var rebuilt = HlogRecovery.Rebuild(Path.Combine(_output, result.Files.Hlog!), Load(CacheAside), Path.Combine(_output, "rebuilt")).Result;
        Assert.Equal(result.Operations.Select(o => (o.Name, o.Count, o.PartOf)), rebuilt.Operations.Select(o => (o.Name, o.Count, o.PartOf)));
        Assert.Equal(result.Total.Count, rebuilt.Total.Count);
    }

    /// <summary>A flow "f" of three steps: "first" on store a, <paramref name="middle"/> on store b, <paramref name="last"/> on store a.</summary>
    private static string ThreeSteps(string name, string middle, string last, string lastOp, string load) => $$"""
        name: {{name}}
        stores:
          a: { kind: kv, label: a }
          b: { kind: kv, label: b }
        data: { keys: 100 }
        flows:
          - name: f
            steps:
              - { name: first, store: a, op: get }
              - { name: {{middle}}, store: b, op: get }
              - { name: {{last}}, store: a, op: {{lastOp}} }
        load: {{load}}
        """;

    [Fact]
    public async Task End_to_end_time_holds_every_step_and_a_stall_shows_in_its_step_and_the_flow_only()
    {
        _kv["a"].Delay = TimeSpan.FromMilliseconds(2);
        _kv["b"].Delay = TimeSpan.FromMilliseconds(3);
        var run = Run(ThreeSteps("stall", "stalls", "last", "set", "{ executor: constant-arrival-rate, rate: 200/s, duration: 3s, warmup: 500ms, maxInFlight: 1000 }"));
        await Task.Delay(TimeSpan.FromSeconds(1.5), TestContext.Current.CancellationToken);
        _kv["b"].CloseGate();
        await Task.Delay(TimeSpan.FromMilliseconds(400), TestContext.Current.CancellationToken);
        _kv["b"].OpenGate();
        var result = (await run).Result;
        var flow = result.Operations.Single(o => o.Name == "f");
        var steps = result.Operations.Where(o => o.PartOf == "f").ToDictionary(o => o.Name);

        // Each instance's end-to-end time is at least the sum of its steps' service times, so on average too.
        Assert.True(flow.Latency.Uncorrected.Mean >= 0.999 * steps.Values.Sum(s => s.Latency.Uncorrected.Mean),
            $"flow mean {flow.Latency.Uncorrected.Mean} < steps {string.Join(" + ", steps.Values.Select(s => s.Latency.Uncorrected.Mean))}");
        Assert.True(flow.Latency.Uncorrected.Min >= 0.999 * (steps["f.first"].Latency.Uncorrected.Min + steps["f.stalls"].Latency.Uncorrected.Min + steps["f.last"].Latency.Uncorrected.Min));
        Assert.All(steps.Values, s => Assert.Equal(flow.Count, s.Count));

        // The 400 ms stall is in the step that stalled and in the flow, not in the steps before or after it.
        Assert.InRange(steps["f.stalls"].Latency.Corrected.Max, 300, 2000);
        Assert.InRange(flow.Latency.Corrected.Max, 300, 2000);
        Assert.True(steps["f.first"].Latency.Corrected.Max < 150, $"first step max {steps["f.first"].Latency.Corrected.Max} ms");
        Assert.True(steps["f.last"].Latency.Corrected.Max < 150, $"last step max {steps["f.last"].Latency.Corrected.Max} ms");
    }

    [Fact]
    public async Task A_failing_step_counts_its_errors_by_kind_in_the_step_and_the_flow_once()
    {
        _kv["b"].Failing = true;
        var result = (await Run(ThreeSteps("failing", "broken", "never", "get", "{ executor: constant-arrival-rate, rate: 1000/s, operations: 500 }"))).Result;
        var flow = result.Operations.Single(o => o.Name == "f");
        var broken = result.Operations.Single(o => o.Name == "f.broken");

        Assert.Equal(500, flow.Errors.ByKind["timeout"]);
        Assert.Equal(500, broken.Errors.ByKind["timeout"]);
        Assert.Equal(500, result.Total.Errors.Total);
        Assert.Equal(500, result.Operations.Single(o => o.Name == "f.first").Count);
        Assert.Equal(0, result.Operations.Single(o => o.Name == "f.never").Count + result.Operations.Single(o => o.Name == "f.never").Errors.Total);
        Assert.Contains("the fake timed out", broken.Errors.FirstMessages!["timeout"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_miss_reads_through_and_writes_back_the_document_it_read_and_a_missing_document_is_not_found()
    {
        _kv["db"].MissIsError = true;
        var result = (await Run("""
            name: read-through
            stores:
              cache: { kind: kv, label: cache, preload: 0% }
              db: { kind: kv, label: db, preload: 90% }
            data: { keys: 100 }
            workload: { distribution: sequential }
            flows:
              - name: serving
                steps:
                  - { name: cache, store: cache, op: get, onHit: end }
                  - { name: db, store: db, op: get }
                  - { name: fill, store: cache, op: set }
            load: { executor: constant-arrival-rate, rate: 1000/s, operations: 100 }
            """)).Result;

        // Keys 0-89 are in the store behind: each was read there once and written back as read, not generated.
        for (var key = 0; key < 90; key++)
        {
            Assert.Equal($"db:{key}", System.Text.Encoding.UTF8.GetString(_kv["cache"].ValueAt(key)!));
        }

        // Keys 90-99 are nowhere: the fallback's miss is its error (not-found), and nothing is written back.
        Assert.Equal(10, result.Operations.Single(o => o.Name == "serving.db").Errors.ByKind["not-found"]);
        Assert.Equal(10, result.Operations.Single(o => o.Name == "serving").Errors.ByKind["not-found"]);
        Assert.Null(_kv["cache"].ValueAt(95));
        Assert.Equal(90, result.Operations.Single(o => o.Name == "serving.fill").Count);
    }

    [Fact]
    public async Task A_flow_of_your_own_runs_by_type_with_its_steps_and_counters()
    {
        var result = (await Run($$"""
            name: code-first
            stores:
              a: { kind: kv, label: code }
            data: { keys: 10, preload: false }
            flows:
              - { type: "{{typeof(WriteThenRead).FullName}}" }
            load: { executor: constant-arrival-rate, rate: 1000/s, operations: 300 }
            sla: [ "write-then-read.read.p(99) < 1h", "write-then-read.written_per_s > 0" ]
            """)).Result;

        Assert.Equal(RunStatus.Passed, result.Status);
        Assert.Equal(300, result.Operations.Single(o => o.Name == "write-then-read.write").Count);
        Assert.Equal(300, result.Operations.Single(o => o.Name == "write-then-read.read").Count);
        Assert.Equal(300, result.Operations.Single(o => o.Name == "write-then-read").Metrics!["written"].Total);
        Assert.Equal(1.0, result.Operations.Single(o => o.Name == "write-then-read").HitRatio);
        Assert.Equal(600, _kv["code"].Calls);
    }

    /// <summary>A user's flow: writes its key through the store's client and reads it back, counting writes.</summary>
    public sealed class WriteThenRead : Flow
    {
        private readonly FlowStep _write;
        private readonly FlowStep _read;
        private readonly FlowCounter _written;
        private IStoreOperation? _set;
        private IFindingOperation? _get;

        public WriteThenRead() : base("write-then-read")
        {
            _write = Step("write", "a");
            _read = Step("read", "a");
            _written = Counter("written");
        }

        public override ValueTask BindAsync(FlowEnvironment environment, CancellationToken cancellationToken)
        {
            // The store's own client, as a flow would take StackExchange.Redis's IDatabase.
            var driver = environment.Store("a").Client<KeyValueFake.Instance>();
            _set = driver.CreateOperation(new("set", "set", 1, null), environment.Workload);
            _get = (IFindingOperation)driver.CreateOperation(new("get", "get", 1, null), environment.Workload);
            return ValueTask.CompletedTask;
        }

        public override async ValueTask RunAsync(FlowContext context)
        {
            await context.StepAsync(_write, c => _set!.ExecuteAsync(c.Random, c.Sequence, c.CancellationToken).AsTask());
            context.Count(_written);
            var found = await context.StepAsync(_read, async c => (await _get!.FindAsync(c.Random, c.Sequence, c.CancellationToken)).Found);
            context.Hit(found);
        }
    }
}
