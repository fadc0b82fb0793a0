using System.Globalization;
using Benchmarks.Core.Stores;
using Benchmarks.Stores.Cosmos;
using Benchmarks.Stores.Cosmos.Local;
using Benchmarks.UnitTests.Cli;

namespace Benchmarks.IntegrationTests.Cosmos;

/// <summary>The Cosmos DB driver against the real local cosmosdb-server (tools/cosmos-server), started by the harness.</summary>
public sealed class CosmosLocalTests : IDisposable
{
    private readonly Runs _runs = new(new StoreCatalog([new CosmosDriverFactory()]));

    public void Dispose() => _runs.Dispose();

    private static void RequireServer()
    {
        if (LocalCosmosServer.FindLauncher() is not { } launcher || !Directory.Exists(Path.Combine(Path.GetDirectoryName(launcher)!, "node_modules", "@vercel", "cosmosdb-server")))
        {
            Requirements.Unavailable("the local Cosmos DB server (tools/cosmos-server/node_modules)", "npm ci --prefix tools/cosmos-server (Node.js 18+)");
        }

        if (Requirements.FindOnPath("node") is null)
        {
            Requirements.Unavailable("Node.js", "sudo apt-get install -y nodejs npm");
        }
    }

    private static string Scenario(string mix, string store = "", string load = "{ executor: constant-arrival-rate, rate: 100/s, duration: 2s, warmup: 1s, " + Runs.RelaxedSelfCheck + " }",
        string data = "{ keys: 300, keyPrefix: \"user-\" }", string extra = "") => $"""
        name: cosmos-it
        seed: 5
        store: {"{"} kind: cosmos, connection: local, container: c{Guid.NewGuid():N}, documents: {"{"} dims: 16, partitioning: synthetic, buckets: 4 {"}"}{store} {"}"}
        data: {data}
        workload:
          distribution: uniform
          mix: {mix}
        load: {load}
        {extra}
        """;

    [Fact]
    public async Task Every_operation_the_local_server_speaks_succeeds_and_reports_its_charge()
    {
        RequireServer();
        const string Mix = """
            [ { op: read, weight: 3 }, { op: create }, { op: upsert }, { op: replace }, { op: patch },
              { op: query, name: in-partition, statement: "SELECT * FROM c WHERE c.pk = @pk AND c.id = @id", maxPages: 2 },
              { op: query, name: cross-partition, statement: "SELECT c.id FROM c WHERE c.userId = @userId", scope: cross-partition },
              { op: read-many, items: 5 } ]
            """;
        var outcome = await _runs.RunAsync(_runs.Load(Scenario(Mix)), TestContext.Current.CancellationToken);

        var r = outcome.Result;
        Assert.Equal(8, r.Operations.Count);
        foreach (var op in r.Operations)
        {
            Assert.True(op.Errors.Total == 0, $"{op.Name}: {string.Join("; ", op.Errors.FirstMessages ?? new Dictionary<string, string>())}");
            Assert.True(op.Count > 5, $"{op.Name}: {op.Count}");
            Assert.True(op.Latency.Corrected.P50 > 0, op.Name);
            // The local server charges 1 RU per request: the plumbing from the SDK's responses to the histogram and the sums.
            var ru = op.Metrics!["ru"];
            Assert.Equal(op.Count, ru.Count);
            Assert.True(ru.P50 >= 1, $"{op.Name}: {ru.P50}");
            Assert.Equal(0, op.Metrics["retries"].Total);
        }

        var read = r.Operations.Single(o => o.Name == "read").Metrics!["ru"];
        Assert.Equal(read.Count * 1.0, read.Total);
        Assert.Equal(r.Operations.Sum(o => o.Metrics!["ru"].Total), r.Total.Metrics!["ru"].Total);
        Assert.NotNull(r.RequestUnits);
        Assert.Equal(Math.Round(r.Total.Metrics["ru"].Total!.Value / r.Total.Metrics["ru"].Count, 4), r.RequestUnits!.MeasuredRuPerOperation);
        Assert.Equal("cosmosdb-server (local)", r.Environment.Server);
        // Read from the installed package (tools/cosmos-server's lockfile pins it), not written into the code.
        Assert.Matches(@"^\d+\.\d+\.\d+", r.Environment.ServerVersion);
        Assert.Equal("Microsoft.Azure.Cosmos", r.Environment.ClientLibrary);
    }

    [Fact]
    public async Task A_missing_item_is_counted_as_not_found_and_still_charged()
    {
        RequireServer();
        // Nothing preloaded: every read and delete asks for a document that is not there.
        var outcome = await _runs.RunAsync(_runs.Load(Scenario("[ { op: read, weight: 3 }, { op: delete } ]", data: "{ keys: 300, preload: false }",
            extra: "sla: [ \"not-found == 0\" ]")), TestContext.Current.CancellationToken);

        var r = outcome.Result;
        Assert.True(r.Status == "failed", $"{r.Status}: {string.Join("; ", r.StatusReasons)}");
        foreach (var op in r.Operations)
        {
            Assert.Equal(0, op.Count);
            Assert.True(op.Errors.ByKind["not-found"] > 20, $"{op.Name}: {op.Errors.ByKind["not-found"]}");
            Assert.Equal(op.Errors.Total, op.Errors.ByKind["not-found"]);
            Assert.Contains("NotFound", op.Errors.FirstMessages!["not-found"], StringComparison.Ordinal);
            Assert.Equal(op.Errors.Total, op.Metrics!["ru"].Count);
        }

        Assert.False(r.Sla.Single(s => s.Threshold == "not-found == 0").Passed);
    }

    [Fact]
    public async Task A_transactional_batch_the_local_server_cannot_read_is_counted_as_errors_not_a_crash()
    {
        RequireServer();
        var outcome = await _runs.RunAsync(_runs.Load(Scenario("[ { op: batch, items: 3 } ]", load: "{ executor: constant-concurrency, concurrency: 2, duration: 1s }")),
            TestContext.Current.CancellationToken);

        var op = outcome.Result.Operations.Single();
        Assert.True(op.Errors.Total > 0);
        Assert.NotNull(op.Errors.FirstMessages);
    }

    [Fact]
    public async Task The_cli_runs_the_repository_scenarios_on_the_local_server_and_stops_it()
    {
        RequireServer();
        var directory = Directory.CreateTempSubdirectory("bench-it-cosmos-").FullName;
        try
        {
            var (code, output, err) = await CliHarness.RunAsync("run", RepositoryRoot.File("scenarios/cosmos-profile-writes.yaml"), "--out", directory,
                "--set", "load.duration=2s", "--set", "load.warmup=1s", "--set", "load.selfCheck.maxSchedulingLagP99=50ms", "--set", "load.selfCheck.maxLagShareOfP99=1");
            // A complete run with a verdict (a 2 s run on this shared machine may also be inconclusive by the generator's own lag): never bad input or invalid.
            Assert.True(code is 0 or 1 or 4, output + err);
            Assert.Contains("local cosmosdb-server", output, StringComparison.Ordinal);
            Assert.Contains("request units", output, StringComparison.Ordinal);
            using var result = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(directory, "cosmos-profile-writes", "result.json"), TestContext.Current.CancellationToken));
            var target = result.RootElement.GetProperty("scenario").GetProperty("target").GetString()!;
            var port = int.Parse(target[(target.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);
            using var client = new System.Net.Sockets.TcpClient();
            await Assert.ThrowsAnyAsync<System.Net.Sockets.SocketException>(() => client.ConnectAsync("127.0.0.1", port, TestContext.Current.CancellationToken).AsTask());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task An_unreachable_account_exits_3_within_the_connect_timeout_and_never_prints_the_key()
    {
        var directory = Directory.CreateTempSubdirectory("bench-it-cosmos-down-").FullName;
        try
        {
            var port = LocalServerProcess.FreeLoopbackPort();
            const string Key = "c2VjcmV0LWtleS1mb3ItYS10ZXN0LW9ubHktMTIzNDU2Nzg5MA==";
            var file = Path.Combine(directory, "down.yaml");
            await File.WriteAllTextAsync(file, $"""
                name: down
                store: {"{"} kind: cosmos, connection: "https://127.0.0.1:{port}/", key: "{Key}", connectTimeout: 3s {"}"}
                workload: {"{"} mix: [ {"{"} op: read {"}"} ] {"}"}
                load: {"{"} executor: constant-concurrency, concurrency: 1, duration: 1s {"}"}
                """, TestContext.Current.CancellationToken);

            var clock = System.Diagnostics.Stopwatch.StartNew();
            var (code, output, err) = await CliHarness.RunAsync("run", file, "--out", Path.Combine(directory, "out"));

            Assert.Equal(3, code);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), clock.Elapsed.ToString());
            Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"cannot connect to Cosmos DB at 127.0.0.1:{port}"), output + err, StringComparison.Ordinal);
            Assert.DoesNotContain(Key, output + err, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Needs a Docker engine: the official Cosmos DB emulator through Testcontainers. Skipped here with that reason.</summary>
    [Fact]
    public async Task The_operations_run_against_the_official_emulator_in_a_container()
    {
        if (!Docker.EngineAvailable)
        {
            Assert.Skip(Docker.SkipReason);
        }

        await using var emulator = new DotNet.Testcontainers.Builders.ContainerBuilder("mcr.microsoft.com/cosmosdb/linux/azure-cosmos-emulator:vnext-preview")
            .WithPortBinding(8081, true)
            .WithEnvironment("PROTOCOL", "https")
            .WithWaitStrategy(DotNet.Testcontainers.Builders.Wait.ForUnixContainer().UntilInternalTcpPortIsAvailable(8081))
            .Build();
        await emulator.StartAsync(TestContext.Current.CancellationToken);
        var endpoint = string.Create(CultureInfo.InvariantCulture, $"https://{emulator.Hostname}:{emulator.GetMappedPublicPort(8081)}/");
        var yaml = Scenario("[ { op: read, weight: 3 }, { op: upsert }, { op: patch }, { op: batch, items: 3 } ]")
            .Replace("connection: local", $"connection: \"{endpoint}\", key: \"{LocalCosmosServer.WellKnownKey}\", mode: gateway", StringComparison.Ordinal);
        var r = (await _runs.RunAsync(_runs.Load(yaml), TestContext.Current.CancellationToken)).Result;
        Assert.All(r.Operations, o => Assert.Equal(0, o.Errors.Total));
        Assert.True(r.Operations.Single(o => o.Name == "read").Metrics!["ru"].P50 >= 1);
    }
}
