using Benchmarks.Core.Loading;
using Benchmarks.Core.Parsing;
using Benchmarks.Core.Scenarios;
using Benchmarks.Core.Stores;

namespace Benchmarks.UnitTests;

internal static class TestScenarios
{
    /// <summary>The store kinds of the bench command itself, so a kind added there is tested here.</summary>
    public static StoreCatalog Catalog { get; } = Benchmarks.Cli.StoreKinds.Create();

    public const string ValidRedis = """
        name: t
        store: { kind: redis, connection: embedded }
        data: { keys: 1000, value: { kind: feature-vector, dims: 16 } }
        workload:
          distribution: zipfian(0.99)
          mix:
            - { op: get, weight: 95 }
            - { op: set, weight: 5 }
        load: { executor: constant-arrival-rate, rate: 1000/s, duration: 10s, warmup: 1s, maxInFlight: 64 }
        sla:
          - "p(99) < 1ms"
          - "get.p(99.9) < 5ms"
          - "throughput >= 990/s"
          - "errors < 0.1%"
        """;

    public static Scenario Load(string yaml, IReadOnlyList<string>? overrides = null, Func<string, string?>? env = null) =>
        new ScenarioLoader(Catalog, env ?? (_ => null)).Load(yaml, "test.yaml", overrides);

    public static IReadOnlyList<ScenarioError> Errors(string yaml, IReadOnlyList<string>? overrides = null, Func<string, string?>? env = null)
    {
        var e = Assert.Throws<ScenarioException>(() => Load(yaml, overrides, env));
        Assert.NotEmpty(e.Errors);
        return e.Errors;
    }

    public static Scenario Noop(string load, string mix = "[ { op: noop } ]") => Load($"""
        name: noop
        store: {"{"} kind: noop {"}"}
        workload:
          mix: {mix}
        load: {load}
        """);
}
