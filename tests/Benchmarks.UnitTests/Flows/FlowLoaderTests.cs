using Benchmarks.Core.Flows;
using Benchmarks.Core.Thresholds;

namespace Benchmarks.UnitTests.Flows;

/// <summary>What the loader accepts and refuses in a flow scenario, each refusal at its line.</summary>
public sealed class FlowLoaderTests
{
    private const string Valid = """
        name: flows
        stores:
          cache: { kind: redis, connection: embedded, preload: 80% }
          features: { kind: cosmos, connection: local, database: bench, container: f }
        data: { keys: 1000 }
        flows:
          - name: serving
            steps:
              - { name: cache, store: cache, op: get, onHit: end }
              - { name: features, store: features, op: read, think: 1ms }
              - { name: fill, store: cache, op: set, ttl: 30s }
        load: { executor: constant-arrival-rate, rate: 100/s, duration: 1s }
        sla:
          - "serving.p(99) < 10ms"
          - "serving.cache.p(99) < 1ms"
          - "serving.features.ru.p(99) < 5"
          - "serving.hit_ratio >= 80%"
          - "ru_per_s < 1000"
        """;

    [Fact]
    public void A_flow_scenario_loads_with_its_stores_steps_and_thresholds_on_flows_and_steps()
    {
        var scenario = TestScenarios.Load(Valid);
        var stores = Assert.IsType<FlowStores>(scenario.Store.Settings);
        Assert.Equal(["cache", "features"], stores.Stores.Select(s => s.Name));
        Assert.Equal(0.8, stores.Stores[0].PreloadFraction);
        Assert.Equal(1.0, stores.Stores[1].PreloadFraction);
        var flow = Assert.Single(scenario.Workload.Mix);
        Assert.Equal("serving", flow.Name);
        var definition = flow.SettingsOf<FlowDefinition>();
        Assert.Equal(["cache", "features", "fill"], definition.Steps.Select(s => s.Name));
        Assert.Equal(["serving", "serving.cache", "serving.features", "serving", "total"], scenario.Sla.Select(t => t.Operation ?? "total"));
        Assert.Equal(SlaMetric.StorePercentile, scenario.Sla[2].Metric);
        Assert.Equal("ru", scenario.Sla[2].StoreMetric);
        Assert.Equal(SlaMetric.HitRatio, scenario.Sla[3].Metric);
        Assert.Equal(0.8, scenario.Sla[3].Target, 9);
        Assert.Equal(["serving.cache", "serving.features", "serving.fill"], definition.Create().Steps.Select(s => FlowNames.Step("serving", s.Name)));
    }

    [Theory]
    [InlineData("store: cache, op: get, onHit: end", "store: cahce, op: get, onHit: end", 9, "'cahce' is not one of the scenario's stores")]
    [InlineData("op: read, think: 1ms", "op: lookup, think: 1ms", 10, "'lookup' is not an operation of store kind 'cosmos'")]
    [InlineData("onHit: end", "onHit: cache", 9, "'cache' is not after this step")]
    [InlineData("onHit: end", "onHit: nowhere", 9, "'nowhere' is not a step of this flow")]
    [InlineData("\"serving.cache.p(99) < 1ms\"", "\"serving.cahce.p(99) < 1ms\"", 15, "'serving.cahce' is not a step of flow 'serving'")]
    [InlineData("\"serving.features.ru.p(99) < 5\"", "\"serving.cache.ru.p(99) < 5\"", 16, "'ru' is not a metric of step 'cache' (redis)")]
    [InlineData("\"serving.hit_ratio >= 80%\"", "\"serving.cache.hit_ratio >= 80%\"", 17, "a hit ratio belongs to a flow")]
    [InlineData("preload: 80%", "preload: most", 3, "'most' is not a share of the keys")]
    [InlineData("{ name: fill,", "{ name: cache,", 11, "two steps are named 'cache'")]
    [InlineData("op: set, ttl: 30s", "op: set, ttl: 30s, onMiss: end", 11, "'set' of store kind 'redis' cannot tell a hit from a miss")]
    public void A_mistake_in_a_flow_is_refused_at_its_line(string from, string to, int line, string message)
    {
        var errors = TestScenarios.Errors(Valid.Replace(from, to, StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Location.Line == line && e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void One_store_and_flows_do_not_mix()
    {
        var both = TestScenarios.Errors(Valid.Replace("data:", "store: { kind: redis, connection: embedded }\ndata:", StringComparison.Ordinal));
        Assert.Contains(both, e => e.Message.Contains("a flow scenario names its stores under 'stores:'", StringComparison.Ordinal));
        var mix = TestScenarios.Errors(Valid.Replace("data:", "workload: { mix: [ { op: get } ] }\ndata:", StringComparison.Ordinal));
        Assert.Contains(mix, e => e.Message.Contains("a flow scenario's flows are its mix", StringComparison.Ordinal));
        var ratio = TestScenarios.Errors(TestScenarios.ValidRedis.Replace("\"errors < 0.1%\"", "\"hit_ratio >= 0.9\"", StringComparison.Ordinal));
        Assert.Contains(ratio, e => e.Message.Contains("a hit ratio belongs to a flow", StringComparison.Ordinal));
    }

    [Fact]
    public void A_flow_type_that_is_not_found_or_names_an_unknown_store_is_refused()
    {
        var missing = TestScenarios.Errors(Valid.Replace("  - name: serving\n    steps:", "  - { type: No.Such.Flow }\n  - name: serving\n    steps:", StringComparison.Ordinal));
        Assert.Contains(missing, e => e.Message.Contains("no type 'No.Such.Flow' is found", StringComparison.Ordinal));
        var wrongStore = TestScenarios.Errors(Valid.Replace("  - name: serving\n    steps:", $"  - {{ type: \"{typeof(FlowTests.WriteThenRead).FullName}\" }}\n  - name: serving\n    steps:", StringComparison.Ordinal));
        Assert.Contains(wrongStore, e => e.Message.Contains("calls store 'a', which the scenario does not name", StringComparison.Ordinal));
    }
}
