using Benchmarks.Core.Parsing;
using Benchmarks.Core.Stores;
using StackExchange.Redis;

namespace Benchmarks.Stores.Redis;

/// <summary>Store kind <c>redis</c>: StackExchange.Redis against garnet-server (embedded), redis-server or Azure Cache for Redis.</summary>
public sealed class RedisDriverFactory : StoreDriverFactory<RedisSettings, RedisOperationSettings>, IHasFindingOperations
{
    internal static readonly string[] PipelineableOperations = ["get", "set", "incr", "hgetall", "hset"];

    public override string Kind => "redis";

    public override string Description => "Redis protocol (StackExchange.Redis): embedded garnet-server, redis-server, Azure Cache for Redis";

    public override IReadOnlyList<string> Operations => RedisOperations.Names;

    /// <summary>GET says whether the key was there: a cache step branches on it.</summary>
    public IReadOnlyCollection<string> FindingOperations { get; } = ["get"];

    public override RedisSettings ParseSettings(ScenarioSection store)
    {
        var connection = store.GetString("connection", RedisSettings.Embedded)!;
        if (!string.Equals(connection, RedisSettings.Embedded, StringComparison.OrdinalIgnoreCase) && !string.Equals(connection, RedisSettings.Local, StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var options = ConfigurationOptions.Parse(connection);
                if (options.EndPoints.Count == 0)
                {
                    store.Fail("connection", "no host:port in the connection string", "write host:port[,password=...,ssl=true], 'embedded' or 'local'");
                }
            }
            catch (ArgumentException e)
            {
                // The message names the bad option, never its value.
                store.Fail("connection", $"not a valid Redis connection string: {e.Message.Split('\n')[0]}",
                    "write host:port[,password=...,ssl=true], 'embedded' or 'local'");
            }
        }

        var settings = new RedisSettings(
            connection,
            (int)store.GetInteger("connections", 1, min: 1, max: 64),
            store.GetString("user"),
            store.GetString("password"),
            store.Has("tls") ? store.GetBool("tls", false) : null,
            store.GetDuration("connectTimeout", TimeSpan.FromSeconds(5), min: TimeSpan.FromMilliseconds(100)),
            store.GetDuration("operationTimeout", TimeSpan.FromSeconds(5), min: TimeSpan.FromMilliseconds(1)),
            store.GetString("embeddedMemory", "1g")!)
        {
            Client = store.GetChoice("client", RedisClient.StackExchange,
                new Dictionary<string, RedisClient>(StringComparer.Ordinal) { ["stackexchange"] = RedisClient.StackExchange, ["lean"] = RedisClient.Lean }),
        };
        return settings;
    }

    public override string RedactTarget(RedisSettings s)
    {
        if (s.IsEmbedded)
        {
            return "embedded garnet-server";
        }

        if (s.IsLocal)
        {
            return "local redis-server";
        }

        try
        {
            var options = ConfigurationOptions.Parse(s.Connection);
            var tls = s.Tls ?? options.Ssl;
            return Endpoints(options) + (tls ? " (tls)" : "");
        }
        catch (ArgumentException)
        {
            return "(unparsable connection string)";
        }
    }

    /// <summary>host:port of every endpoint, without the address family a DnsEndPoint prints.</summary>
    internal static string Endpoints(ConfigurationOptions options) =>
        string.Join(",", options.EndPoints.Select(e => e switch
        {
            System.Net.DnsEndPoint d => $"{d.Host}:{d.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
            _ => e.ToString(),
        }));

    public override RedisOperationSettings? ParseOperation(string operation, ScenarioSection entry)
    {
        var keys = operation == "mget" ? (int)entry.GetInteger("keys", 10, min: 1, max: 100_000) : 1;
        var fields = operation is "hset" or "hgetall" || (operation == "pipeline" && entry.GetString("of") is "hset" or "hgetall")
            ? (int)entry.GetInteger("fields", 8, min: 1, max: 100_000)
            : 8;
        var commands = 1;
        var of = "get";
        if (operation == "pipeline")
        {
            commands = (int)entry.GetInteger("commands", 16, min: 1, max: 100_000);
            of = entry.GetString("of", "get")!;
            if (!PipelineableOperations.Contains(of))
            {
                entry.Fail("of", $"'{of}' cannot be pipelined here", $"use one of: {string.Join(", ", PipelineableOperations)}");
            }
        }

        TimeSpan? ttl = operation == "set" && entry.Has("ttl") ? entry.GetDuration("ttl", TimeSpan.Zero, min: TimeSpan.FromMilliseconds(1)) : null;
        return new RedisOperationSettings(keys, fields, commands, of) { Ttl = ttl };
    }

    public override IStoreDriver Create(RedisSettings settings) => new RedisDriver(settings);
}
