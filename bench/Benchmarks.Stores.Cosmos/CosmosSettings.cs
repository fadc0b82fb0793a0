namespace Benchmarks.Stores.Cosmos;

/// <summary>What the container holds: feature vectors for serving, or user profiles.</summary>
public enum DocumentKind
{
    Feature,
    Profile,
}

/// <summary>How documents are spread over logical partitions.</summary>
public enum PartitionStrategy
{
    /// <summary>One property, <c>/userId</c>: every user is its own logical partition.</summary>
    Single,

    /// <summary>A synthetic <c>/pk</c> of <c>bucket-(i mod buckets)</c>: a fixed number of larger partitions.</summary>
    Synthetic,

    /// <summary>Hierarchical <c>/tenantId</c>, <c>/userId</c> (tenant = i mod tenants).</summary>
    Hierarchical,
}

public enum CosmosAuthentication
{
    Key,
    EntraId,
}

/// <summary>
/// The validated <c>store:</c> section of a Cosmos DB scenario. <see cref="Key"/> is a secret: it only
/// ever goes to the SDK.
/// </summary>
public sealed record CosmosSettings(
    string Connection,
    string? Key,
    CosmosAuthentication Authentication,
    string Database,
    string Container,
    bool Gateway,
    string? Consistency,
    IReadOnlyList<string> PreferredRegions,
    int MaxRetriesOn429,
    TimeSpan MaxRetryWait,
    TimeSpan ConnectTimeout,
    TimeSpan RequestTimeout,
    int? Throughput,
    DocumentKind Documents,
    int Dimensions,
    PartitionStrategy Partitioning,
    int Buckets,
    int PreloadConcurrency,
    bool BulkPreload,
    bool ContentOnWrite)
{
    public const string Local = "local";

    public bool IsLocal => string.Equals(Connection, Local, StringComparison.OrdinalIgnoreCase);
}

/// <summary>Arguments of one mix entry; each operation reads the fields it needs.</summary>
public sealed record CosmosOperationSettings(
    string? Statement,
    bool CrossPartition,
    int PageSize,
    int MaxPages,
    int Items);
