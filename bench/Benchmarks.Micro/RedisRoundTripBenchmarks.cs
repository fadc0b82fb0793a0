using BenchmarkDotNet.Attributes;
using Benchmarks.Core.Stores;
using Benchmarks.Stores.Redis;
using StackExchange.Redis;

namespace Benchmarks.Micro;

/// <summary>
/// One round trip of the main Redis operations against the embedded garnet-server (started in
/// GlobalSetup, stopped in GlobalCleanup), through the same client the scenarios use.
/// </summary>
[MemoryDiagnoser]
public class RedisRoundTripBenchmarks
{
    private LocalServerProcess? _server;
    private ConnectionMultiplexer? _connection;
    private IDatabase _db = null!;
    private readonly RedisKey[] _keys = [.. Enumerable.Range(0, 1024).Select(i => (RedisKey)$"micro:{i}")];
    private readonly byte[] _value = new byte[512];
    private int _next;

    [GlobalSetup]
    public async Task Setup()
    {
        _server = await EmbeddedGarnet.StartAsync("256m", CancellationToken.None);
        _connection = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{_server.Port}");
        _db = _connection.GetDatabase();
        await _db.StringSetAsync([.. _keys.Select(k => new KeyValuePair<RedisKey, RedisValue>(k, _value))]);
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private RedisKey Key() => _keys[_next++ & 1023];

    [Benchmark(Description = "GET 512 B")]
    public Task<RedisValue> Get() => _db.StringGetAsync(Key());

    [Benchmark(Description = "SET 512 B")]
    public Task<bool> Set() => _db.StringSetAsync(Key(), _value);

    [Benchmark(Description = "pipeline of 16 GET", OperationsPerInvoke = 1)]
    public Task Pipeline()
    {
        var batch = _db.CreateBatch();
        var tasks = new Task[16];
        for (var i = 0; i < tasks.Length; i++)
        {
            tasks[i] = batch.StringGetAsync(Key());
        }

        batch.Execute();
        return Task.WhenAll(tasks);
    }
}
