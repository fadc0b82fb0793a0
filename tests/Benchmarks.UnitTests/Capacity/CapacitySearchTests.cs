using Benchmarks.Core.Loading;
using Benchmarks.Core.Parsing;
using Benchmarks.Core.Recording;
using Benchmarks.Core.Results;
using Benchmarks.Core.Running;
using Benchmarks.Core.Stores;
using Benchmarks.Core.Workload;
using Benchmarks.UnitTests.Execution;

namespace Benchmarks.UnitTests.Capacity;

[Collection(nameof(TimingSensitive))]
public sealed class CapacitySearchTests : IDisposable
{
    private readonly string _out = Directory.CreateTempSubdirectory("bench-capacity-").FullName;

    public void Dispose() => Directory.Delete(_out, recursive: true);

    /// <remarks>
    /// The generator's self-check is relaxed and the SLA is on p95: these tests are about the search
    /// over a fake store with millisecond timers. A one-off 50 ms freeze of this shared VM in a short
    /// step moves its p99, never its p95, while a queue that grows above capacity moves both.
    /// </remarks>
    private async Task<RunOutcome> Search(KnownCapacityStore store, string load, string extra = "")
    {
        var catalog = new StoreCatalog([store]);
        var scenario = new ScenarioLoader(catalog, _ => null).Load($"""
            name: capacity
            store: {"{"} kind: known {"}"}
            workload: {"{"} mix: [ {"{"} op: op {"}"} ] {"}"}
            load: {load.TrimEnd('}')}, selfCheck: {"{"} maxLagShareOfP99: 1, maxSchedulingLagP99: 1s {"}"} {"}"}
            sla: [ "p(95) < 20ms" ]
            {extra}
            """, "capacity.yaml");
        return await new ScenarioRunner(catalog).RunAsync(scenario, new RunOptions(_out, [], SilentProgress.Instance), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task The_search_finds_a_known_capacity_within_its_precision()
    {
        const double capacity = 2000;
        var outcome = await Search(new KnownCapacityStore(capacity),
            "{ executor: capacity-search, startRate: 1000/s, growth: 2, precision: 5%, duration: 1500ms, warmup: 200ms }",
            "sizing: { targetRate: 9000/s, headroom: 10%, pricePerNodeMonth: 100 }");
        var c = outcome.Result.Capacity!;
        Assert.True(outcome.Result.Status == RunStatus.Passed, string.Join("; ", outcome.Result.StatusReasons) + " | " + string.Join("; ", outcome.Result.Capacity!.Steps.Select(s => $"{s.TargetRatePerSecond}:{s.Status}:{string.Join(",", s.Reasons)}")));
        Assert.NotNull(c.CapacityPerSecond);
        Assert.InRange(c.CapacityPerSecond!.Value, capacity * 0.95, capacity * 1.02);
        Assert.InRange(c.FirstFailingRatePerSecond!.Value, c.CapacityPerSecond.Value, c.CapacityPerSecond.Value * 1.05);
        Assert.Equal(c.CapacityPerSecond.Value, outcome.Result.Load.TargetRatePerSecond);
        // Growth first, then bisection. The step at 2000/s runs the store at exactly its capacity, where a
        // stall of the host leaves a backlog that never drains: that step may fail for the host, and
        // the search must then bisect below it, not keep growing.
        Assert.Equal([1000.0, 2000], c.Steps.Take(2).Select(s => s.TargetRatePerSecond));
        Assert.Equal(c.Steps[1].Status == RunStatus.Passed ? 4000 : 1500, c.Steps[2].TargetRatePerSecond);
        // The capacity was measured twice: its last step confirms it.
        Assert.Equal(c.CapacityPerSecond.Value, c.Steps[^1].TargetRatePerSecond);
        Assert.Contains("twice", c.Conclusion, StringComparison.Ordinal);
        Assert.All(c.Steps, s => Assert.True(File.Exists(Path.Combine(_out, s.Hlog)), s.Hlog));
        Assert.Equal("capacity-search", outcome.Result.Scenario.Executor);
        // Sizing from the capacity found (within its precision of 2000/s): 9000 / (2000 x 0.9) = 5 nodes, 6 when it was found a step below 2000/s.
        var nodes = (int)Math.Ceiling(Math.Round(9000 / (c.CapacityPerSecond.Value * 0.9), 9));
        Assert.InRange(nodes, 5, 6);
        Assert.Equal(nodes, c.Sizing!.Nodes);
        Assert.Equal(nodes * 100, c.Sizing.MonthlyCost);
    }

    [Fact]
    public async Task A_start_rate_above_capacity_fails_with_advice()
    {
        var outcome = await Search(new KnownCapacityStore(500),
            "{ executor: capacity-search, startRate: 2000/s, duration: 1s, warmup: 100ms }");
        Assert.True(outcome.Result.Status == RunStatus.Failed, string.Join("; ", outcome.Result.StatusReasons));
        Assert.Null(outcome.Result.Capacity!.CapacityPerSecond);
        Assert.Contains("start lower", outcome.Result.Capacity.Conclusion, StringComparison.Ordinal);
        Assert.Single(outcome.Result.Capacity.Steps);
    }

    [Fact]
    public void Capacity_keys_are_validated()
    {
        var errors = TestScenarios.Errors("""
            name: c
            store: { kind: noop }
            workload: { mix: [ { op: noop } ] }
            load: { executor: capacity-search, startRate: 100/s, growth: 1, precision: 150%, operations: 10 }
            sizing: { headroom: 30% }
            """);
        var text = string.Join("\n", errors);
        Assert.Contains("load.growth: 1 is out of range", text, StringComparison.Ordinal);
        Assert.Contains("'150%' is not a percentage between 0 and 100", text, StringComparison.Ordinal);
        Assert.Contains("capacity search measures every step", text, StringComparison.Ordinal);
        Assert.Contains("sizing.targetRate is required", text, StringComparison.Ordinal);
        var misplaced = TestScenarios.Errors(TestScenarios.ValidRedis + "\nsizing: { targetRate: 1000/s }\n");
        Assert.Contains(misplaced, e => e.Message.Contains("sizing needs a measured capacity", StringComparison.Ordinal));
    }

    /// <summary>
    /// A store that serves at most <c>capacity</c> operations a second: one server, deterministic service
    /// time 1/capacity, first come first served. Below capacity latency is flat; above, the queue and the
    /// latency grow without bound: the hockey stick.
    /// </summary>
    private sealed class KnownCapacityStore(double capacity) : IStoreDriverFactory, IStoreDriver, IStoreOperation
    {
        private readonly Lock _lock = new();
        private readonly long _serviceTicks = Timing.FromSeconds(1 / capacity);
        private long _freeAt;

        public string Kind => "known";

        public string Description => "a server of known capacity";

        public IReadOnlyList<string> Operations { get; } = ["op"];

        public async ValueTask ExecuteAsync(OperationRandom random, long sequence, CancellationToken cancellationToken)
        {
            long done;
            lock (_lock)
            {
                _freeAt = Math.Max(_freeAt, Timing.Now) + _serviceTicks;
                done = _freeAt;
            }

            var wait = Timing.ToSeconds(done - Timing.Now);
            if (wait > 0.001)
            {
                await Task.Delay(TimeSpan.FromSeconds(wait), cancellationToken);
            }
            else
            {
                await Task.Yield();
            }
        }

        public object ParseSettings(ScenarioSection store) => this;

        public string RedactTarget(object settings) => "known";

        public object? ParseOperation(string operation, ScenarioSection entry) => null;

        public IStoreDriver Create(object settings) => this;

        public Task<StoreInfo> ConnectAsync(CancellationToken cancellationToken) => Task.FromResult(new StoreInfo("known", "fake", "1", "known", "1"));

        public IStoreOperation CreateOperation(OperationDefinition operation, WorkloadContext workload) => this;

        public ErrorKind Classify(Exception error) => ErrorKind.Other;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
