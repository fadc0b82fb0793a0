namespace Benchmarks.Stores.Redis;

/// <summary>
/// The validated <c>store:</c> section of a Redis scenario. <see cref="Connection"/> is either
/// <c>embedded</c> (a garnet-server child process on a free loopback port) or a StackExchange.Redis
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

    public bool IsEmbedded => string.Equals(Connection, Embedded, StringComparison.OrdinalIgnoreCase);
}

/// <summary>Arguments of one mix entry: keys per MGET, fields per HSET, commands per pipeline and what they are, a SET's time to live.</summary>
public sealed record RedisOperationSettings(int Keys, int Fields, int Commands, string PipelinedOperation)
{
    /// <summary>A SET's expiry (a cache's write-back); null: the key stays.</summary>
    public TimeSpan? Ttl { get; init; }
}
