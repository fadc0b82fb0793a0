using System.Text.Json;
using Benchmarks.Core.Sockets;
using Benchmarks.Core.Stores;
using Benchmarks.Stores.Redis;
using Benchmarks.Stores.Redis.Lean;
using Benchmarks.UnitTests.Cli;
using StackExchange.Redis;

namespace Benchmarks.IntegrationTests.Redis;

/// <summary>
/// <c>client: lean</c> against real servers: every operation of the mix leaves a server exactly as StackExchange.Redis
/// leaves another one and reads the same replies; a server that dies mid-run is counted as errors; a refused AUTH is
/// exit 3 without the password.
/// </summary>
public sealed class LeanClientTests : IDisposable
{
    private const string AllOperations = """
        [ { op: get, weight: 3 }, { op: set, weight: 2, ttl: 1h }, { op: mget, weight: 1, keys: 5 }, { op: hgetall, weight: 1, fields: 4 },
            { op: hset, weight: 1, fields: 4 }, { op: incr, weight: 1 }, { op: pipeline, weight: 1, commands: 8, of: set } ]
        """;

    private readonly Runs _runs = new();

    public void Dispose() => _runs.Dispose();

    [Theory]
    [InlineData("redis-server")]
    [InlineData("garnet-server")]
    public async Task Every_operation_leaves_the_same_data_and_reads_the_same_replies_as_stackexchange_redis(string server)
    {
        await using var throughStackExchange = await StartAsync(server);
        await using var throughLean = await StartAsync(server);
        // One operation at a time, the same seed and sequence numbers: both clients issue exactly the same commands in the same order.
        const string load = "{ executor: constant-arrival-rate, rate: 400/s, operations: 600, maxInFlight: 1 }";
        var stackExchange = await _runs.RunAsync(_runs.Load(Runs.Scenario(Endpoint(throughStackExchange), load, AllOperations)), TestContext.Current.CancellationToken);
        var lean = await _runs.RunAsync(_runs.Load(Runs.Scenario(Endpoint(throughLean), load, AllOperations), "store.client=lean"), TestContext.Current.CancellationToken);

        Assert.Equal("StackExchange.Redis", stackExchange.Result.Environment.ClientLibrary);
        Assert.Equal("bench lean RESP", lean.Result.Environment.ClientLibrary);
        Assert.Equal(stackExchange.Result.Operations.Select(o => (o.Name, o.Count)), lean.Result.Operations.Select(o => (o.Name, o.Count)));
        Assert.All(lean.Result.Operations, o => Assert.True(o.Errors.Total == 0, $"{o.Name}: {string.Join(", ", o.Errors.ByKind)}"));
        Assert.Equal(600, lean.Result.Total.Count);

        await using var a = await ConnectionMultiplexer.ConnectAsync(Endpoint(throughStackExchange) + ",allowAdmin=true");
        await using var b = await ConnectionMultiplexer.ConnectAsync(Endpoint(throughLean) + ",allowAdmin=true");
        var keys = a.GetServer(a.GetEndPoints()[0]).Keys(pageSize: 1000).Select(k => (string)k!).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(keys, b.GetServer(b.GetEndPoints()[0]).Keys(pageSize: 1000).Select(k => (string)k!).Order(StringComparer.Ordinal));
        Assert.Contains(keys, k => k.EndsWith(":n", StringComparison.Ordinal));
        Assert.Contains(keys, k => k.EndsWith(":h", StringComparison.Ordinal));
        var (dbA, dbB) = (a.GetDatabase(), b.GetDatabase());
        foreach (var key in keys)
        {
            if (key.EndsWith(":h", StringComparison.Ordinal))
            {
                Assert.Equal(Hash(await dbA.HashGetAllAsync(key)), Hash(await dbB.HashGetAllAsync(key)));
            }
            else
            {
                Assert.True((await dbA.StringGetAsync(key)) == (await dbB.StringGetAsync(key)), $"{key} differs");
                Assert.Equal((await dbA.KeyTimeToLiveAsync(key)) is null, (await dbB.KeyTimeToLiveAsync(key)) is null);
            }
        }

        // The replies themselves, each kind through both clients against the same data.
        // Read by a poller (the CLI's way on Linux) and by a thread of the connection's own (TLS, other systems).
        using var poller = LeanPoller.Start(0);
        foreach (var readBy in new[] { poller, null })
        {
            await using var direct = await LeanConnection.ConnectAsync(new LeanEndpoint("127.0.0.1", Port(throughLean), false, null, null, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5)), readBy, CancellationToken.None);
            var key0 = keys.First(k => !k.Contains(':', StringComparison.Ordinal) || k.Count(c => c == ':') == 1);
            Assert.Equal((byte[]?)await dbA.StringGetAsync(key0), (await direct.SendAsync(["GET", key0], materialise: true)).Bulk);
            Assert.True((await direct.SendAsync(["GET", "no-such-key"], materialise: true)).IsNull);
            var mget = await direct.SendAsync(["MGET", key0, "no-such-key"], materialise: true);
            Assert.Equal((byte[]?)(await dbA.StringGetAsync([key0, "no-such-key"]))[0], mget.Items![0].Bulk);
            Assert.True(mget.Items[1].IsNull);
            var counter = keys.First(k => k.EndsWith(":n", StringComparison.Ordinal));
            Assert.Equal((long)await dbA.StringIncrementAsync(counter), (await direct.SendAsync(["INCR", counter])).Integer);
            var hash = keys.First(k => k.EndsWith(":h", StringComparison.Ordinal));
            var fields = (await direct.SendAsync(["HGETALL", hash], materialise: true)).Items!;
            Assert.Equal(Hash(await dbA.HashGetAllAsync(hash)), Enumerable.Range(0, fields.Length / 2)
                .Select(i => (System.Text.Encoding.UTF8.GetString(fields[2 * i].Bulk!), Convert.ToHexString(fields[(2 * i) + 1].Bulk!))).Order().ToList());
            var wrongType = await Assert.ThrowsAsync<LeanServerException>(async () => await direct.SendAsync(["INCR", hash]));
            Assert.StartsWith("WRONGTYPE", wrongType.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_server_that_dies_mid_run_is_counted_as_errors_and_the_run_ends()
    {
        var redis = await RedisServer.StartAsync();
        var scenario = _runs.Load(Runs.Scenario(redis.Connection, "{ executor: constant-arrival-rate, rate: 500/s, duration: 3s, drainTimeout: 10s }",
            extra: "sla: [ \"errors < 0.1%\" ]"), "store.operationTimeout=500ms", "store.client=lean");
        var run = _runs.RunAsync(scenario, TestContext.Current.CancellationToken);
        await Task.Delay(1500, TestContext.Current.CancellationToken);
        await redis.DisposeAsync();

        var r = (await run).Result;
        Assert.Equal("bench lean RESP", r.Environment.ClientLibrary);
        Assert.True(r.Total.Count > 300, $"before the kill: {r.Total.Count}");
        Assert.True(r.Total.Errors.Total > 300, $"after the kill: {r.Total.Errors.Total}");
        Assert.Equal(r.Total.Errors.Total, r.Total.Errors.ByKind["connection"] + r.Total.Errors.ByKind["timeout"]);
        Assert.Equal(0, r.Load.Unfinished);
        Assert.Equal("failed", r.Status);
    }

    [Fact]
    public async Task Client_overhead_reports_each_percentile_of_both_clients_runs_and_their_difference()
    {
        await using var redis = await RedisServer.StartAsync();
        var folder = Directory.CreateTempSubdirectory("bench-client-overhead-");
        try
        {
            var file = Path.Combine(folder.FullName, "overhead.yaml");
            await File.WriteAllTextAsync(file, Runs.Scenario(redis.Connection, "{ executor: constant-arrival-rate, rate: 2000/s, duration: 2s, warmup: 500ms }"), TestContext.Current.CancellationToken);
            var output = Path.Combine(folder.FullName, "out");
            var run = await CliHarness.RunAsync("client-overhead", file, "--rounds", "3", "--out", output);
            Assert.True(run.Code == 0, run.Err);

            // Each client's figure is the median of its three runs; the difference is the two figures' difference.
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "client-overhead.json"), TestContext.Current.CancellationToken));
            var percentiles = json.RootElement.GetProperty("percentiles").EnumerateArray().ToDictionary(p => p.GetProperty("percentile").GetString()!);
            Assert.Equal(["p50", "p90", "p99", "p99.9", "max"], percentiles.Keys);
            double Median(string client, string percentile) => Enumerable.Range(1, 3)
                .Select(round => JsonDocument.Parse(File.ReadAllText(Path.Combine(output, $"round-{round}", client, "result.json"))).RootElement
                    .GetProperty("total").GetProperty("latency").GetProperty("corrected").GetProperty(percentile).GetDouble())
                .Order().ElementAt(1);
            foreach (var (name, p) in percentiles)
            {
                Assert.Equal(Median("stackexchange", name), p.GetProperty("clientMs").GetDouble(), 3);
                Assert.Equal(Median("lean", name), p.GetProperty("baselineMs").GetDouble(), 3);
                Assert.Equal(p.GetProperty("clientMs").GetDouble() - p.GetProperty("baselineMs").GetDouble(), p.GetProperty("differenceMs").GetDouble(), 3);
            }

            Assert.Contains("StackExchange.Redis", File.ReadAllText(Path.Combine(output, "round-1", "stackexchange", "result.json")), StringComparison.Ordinal);
            Assert.Contains("bench lean RESP", File.ReadAllText(Path.Combine(output, "round-2", "lean", "result.json")), StringComparison.Ordinal);
            var markdown = await File.ReadAllTextAsync(Path.Combine(output, "client-overhead.md"), TestContext.Current.CancellationToken);
            Assert.Contains($"of the p99 of {percentiles["p99"].GetProperty("clientMs").GetDouble().ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)} ms through stackexchange", markdown, StringComparison.Ordinal);
            Assert.Contains("of the p99", run.Out, StringComparison.Ordinal);

            // Another store has one client: refused before anything runs.
            var other = Path.Combine(folder.FullName, "noop.yaml");
            await File.WriteAllTextAsync(other, "name: n\nstore: { kind: noop }\nworkload: { mix: [ { op: noop } ] }\nload: { executor: constant-arrival-rate, rate: 10/s, duration: 1s }\n", TestContext.Current.CancellationToken);
            var refused = await CliHarness.RunAsync("client-overhead", other, "--out", Path.Combine(folder.FullName, "other"));
            Assert.Equal(2, refused.Code);
            Assert.Contains("compares the clients of redis (store.client: stackexchange | lean) and postgres (store.client: npgsql | lean)", refused.Err, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_refused_auth_is_exit_3_and_never_shows_the_password_while_the_right_one_runs()
    {
        const string password = "s3cret-Pa55word";
        await using var redis = await RedisServer.StartAsync("--requirepass", password);
        var folder = Directory.CreateTempSubdirectory("bench-lean-auth-");
        try
        {
            var file = Path.Combine(folder.FullName, "auth.yaml");
            await File.WriteAllTextAsync(file, Runs.Scenario(redis.Connection, "{ executor: constant-arrival-rate, rate: 200/s, duration: 1s }")
                .Replace($"connection: \"{redis.Connection}\"", $"connection: \"{redis.Connection}\", client: lean, password: \"${{IT_REDIS_PASSWORD}}\"", StringComparison.Ordinal),
                TestContext.Current.CancellationToken);
            Environment.SetEnvironmentVariable("IT_REDIS_PASSWORD", "wrong-" + password);
            var refused = await CliHarness.RunAsync("run", file, "--out", Path.Combine(folder.FullName, "refused"));
            Assert.Equal(3, refused.Code);
            Assert.DoesNotContain(password, refused.Out + refused.Err, StringComparison.Ordinal);

            var direct = await Assert.ThrowsAsync<LeanServerException>(() => LeanConnection.ConnectAsync(
                new LeanEndpoint("127.0.0.1", redis.Port, false, null, "wrong-" + password, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5)), null, CancellationToken.None));
            Assert.StartsWith("AUTH refused", direct.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(password, direct.Message, StringComparison.Ordinal);

            Environment.SetEnvironmentVariable("IT_REDIS_PASSWORD", password);
            var accepted = await CliHarness.RunAsync("run", file, "--out", Path.Combine(folder.FullName, "accepted"));
            Assert.True(accepted.Code is 0 or 1 or 4, accepted.Err);
            Assert.Contains("bench lean RESP", await File.ReadAllTextAsync(Path.Combine(folder.FullName, "accepted", "it", "result.json"), TestContext.Current.CancellationToken), StringComparison.Ordinal);
            Assert.DoesNotContain(password, accepted.Out + accepted.Err, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("IT_REDIS_PASSWORD", null);
            folder.Delete(recursive: true);
        }
    }

    private static List<(string, string)> Hash(HashEntry[] entries) =>
        [.. entries.Select(e => ((string)e.Name!, Convert.ToHexString((byte[])e.Value!))).Order()];

    private static async Task<IAsyncDisposable> StartAsync(string server) =>
        server == "redis-server" ? await RedisServer.StartAsync() : new Garnet(await EmbeddedGarnet.StartAsync("256m", CancellationToken.None));

    private static string Endpoint(IAsyncDisposable server) => $"127.0.0.1:{Port(server)}";

    private static int Port(IAsyncDisposable server) => server switch
    {
        RedisServer redis => redis.Port,
        Garnet garnet => garnet.Process.Port,
        _ => throw new ArgumentException("not a server", nameof(server)),
    };

    private sealed class Garnet(LocalServerProcess process) : IAsyncDisposable
    {
        public LocalServerProcess Process => process;

        public ValueTask DisposeAsync() => process.DisposeAsync();
    }
}
