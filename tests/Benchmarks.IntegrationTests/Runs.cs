using Benchmarks.Core.Loading;
using Benchmarks.Core.Recording;
using Benchmarks.Core.Results;
using Benchmarks.Core.Running;
using Benchmarks.Core.Scenarios;
using Benchmarks.Core.Stores;
using Benchmarks.Stores.Redis;

namespace Benchmarks.IntegrationTests;

/// <summary>Runs scenarios in-process against real servers, into a temporary folder.</summary>
internal sealed class Runs : IDisposable
{
    /// <summary>
    /// Self-check limits for runs against servers that share the two cores with the test (Node, the local
    /// Cosmos server, Azurite): what these tests check is the driver, not the generator's lag.
    /// </summary>
    public const string RelaxedSelfCheck = "selfCheck: { maxLagShareOfP99: 1, maxSchedulingLagP99: 50ms }";

    public Runs(StoreCatalog? catalog = null) => Catalog = catalog ?? new StoreCatalog([new RedisDriverFactory()]);

    public StoreCatalog Catalog { get; }

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("bench-it-").FullName;

    public Scenario Load(string yaml, params string[] overrides) => new ScenarioLoader(Catalog, _ => null).Load(yaml, "it.yaml", overrides);

    public Task<RunOutcome> RunAsync(Scenario scenario, CancellationToken cancellationToken = default) =>
        new ScenarioRunner(Catalog).RunAsync(scenario, new RunOptions(Path.Combine(Directory, scenario.Name), [], SilentProgress.Instance), cancellationToken);

    public static string Scenario(string connection, string load, string mix = "[ { op: get, weight: 95 }, { op: set, weight: 5 } ]", string extra = "") => $"""
        name: it
        store: {"{"} kind: redis, connection: "{connection}" {"}"}
        data: {"{"} keys: 2000, value: {"{"} kind: feature-vector, dims: 32 {"}"} {"}"}
        workload:
          distribution: zipfian(0.99)
          mix: {mix}
        load: {load}
        {extra}
        """;

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
