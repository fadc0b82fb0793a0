namespace Benchmarks.Stores.Redis;

/// <summary>
/// The validated <c>store:</c> section of a Redis scenario. <see cref="Connection"/> is either
/// <c>embedded</c> (a garnet-server child process on a free loopback port), <c>local</c> (a redis-server
/// child process the same way: scripted faults can pause, kill or slow it) or a StackExchange.Redis
/// configuration string (<c>host:port[,options]</c>) for any Redis, Azure Cache for Redis included.
/// </summary>
public sealed record RedisSettings(
    string Connection,
    int Connections,
    string? User,
    string? Password,
    bool? Tls,
    TimeSpan ConnectTimeout,
    TimeSpan OperationTimeout,
    string EmbeddedMemory)
{
    public const string Embedded = "embedded";

    /// <summary>A redis-server (Debian's redis-server on the PATH) started for the run on a free loopback port.</summary>
    public const string Local = "local";

    public bool IsEmbedded => string.Equals(Connection, Embedded, StringComparison.OrdinalIgnoreCase);

    public bool IsLocal => string.Equals(Connection, Local, StringComparison.OrdinalIgnoreCase);

    /// <summary>The client the measured operations go through (<c>client:</c>); preload, INFO and faults use StackExchange.Redis either way.</summary>
    public RedisClient Client { get; init; } = RedisClient.StackExchange;
}

/// <summary>The client library a Redis scenario measures through.</summary>
public enum RedisClient
{
    /// <summary>StackExchange.Redis: multiplexed connections, what most .NET services use.</summary>
    StackExchange,

    /// <summary>The harness's lean RESP connections (Lean/): commands written by the caller, replies parsed and recorded on each connection's reader thread.</summary>
    Lean,
}

/// <summary>Arguments of one mix entry: keys per MGET, fields per HSET, commands per pipeline and what they are, a SET's time to live.</summary>
public sealed record RedisOperationSettings(int Keys, int Fields, int Commands, string PipelinedOperation)
{
    /// <summary>A SET's expiry (a cache's write-back); null: the key stays.</summary>
    public TimeSpan? Ttl { get; init; }
}
