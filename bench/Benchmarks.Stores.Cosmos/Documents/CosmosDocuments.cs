using System.Globalization;
using System.Text.Json.Serialization;
using Benchmarks.Core.Workload;
using Microsoft.Azure.Cosmos;

namespace Benchmarks.Stores.Cosmos.Documents;

/// <summary>
/// One document of the data set: a user's feature vector (the seed's real-time feature serving) or
/// profile. The three partition-key properties are all present; the container's key uses those its
/// strategy names.
/// </summary>
public sealed class CosmosDocument
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("userId")]
    public required string UserId { get; init; }

    [JsonPropertyName("tenantId")]
    public required string TenantId { get; init; }

    [JsonPropertyName("pk")]
    public required string Pk { get; init; }

    [JsonPropertyName("kind")]
    public required string Kind { get; init; }

    /// <summary>Feature documents: the vector the model reads.</summary>
    [JsonPropertyName("features")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public float[]? Features { get; init; }

    [JsonPropertyName("model")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Model { get; init; }

    /// <summary>Profile documents: what a personalisation service keeps per user.</summary>
    [JsonPropertyName("country")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Country { get; init; }

    [JsonPropertyName("segments")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string[]? Segments { get; init; }

    [JsonPropertyName("sessions")]
    public long Sessions { get; init; }

    [JsonPropertyName("version")]
    public long Version { get; init; }

    [JsonPropertyName("updatedAt")]
    public long UpdatedAt { get; init; }
}

/// <summary>Builds documents and their partition keys from a key index, deterministically under the seed.</summary>
public sealed class CosmosDataSet(ulong seed, string prefix, DocumentKind kind, int dimensions, PartitionStrategy strategy, int buckets)
{
    private static readonly string[] Countries = ["US", "GB", "DE", "FR", "IN", "BR", "JP", "CA", "AU", "NL"];
    private static readonly string[] SegmentNames = ["new", "returning", "vip", "churn-risk", "mobile", "desktop", "deal-seeker", "premium"];

    public PartitionStrategy Strategy => strategy;

    /// <summary>The container's partition-key paths for the strategy.</summary>
    public IReadOnlyList<string> PartitionKeyPaths => strategy switch
    {
        PartitionStrategy.Synthetic => ["/pk"],
        PartitionStrategy.Hierarchical => ["/tenantId", "/userId"],
        _ => ["/userId"],
    };

    public string Id(long index) => string.Create(CultureInfo.InvariantCulture, $"{prefix}{index}");

    public string Tenant(long index) => string.Create(CultureInfo.InvariantCulture, $"tenant-{index % buckets}");

    public string Bucket(long index) => string.Create(CultureInfo.InvariantCulture, $"bucket-{index % buckets}");

    /// <summary>The partition key of document <paramref name="index"/> (and of every document in its partition).</summary>
    public PartitionKey KeyOf(long index) => KeyOf(index, Id(index));

    /// <summary>The same, for a caller that already holds the user's id (an operation's hot path builds it once).</summary>
    public PartitionKey KeyOf(long index, string userId) => strategy switch
    {
        PartitionStrategy.Synthetic => new PartitionKey(Bucket(index)),
        PartitionStrategy.Hierarchical => new PartitionKeyBuilder().Add(Tenant(index)).Add(userId).Build(),
        _ => new PartitionKey(userId),
    };

    public CosmosDocument Document(long index, long version = 0) => Document(Id(index), index, version);

    /// <summary>A document with its own <paramref name="id"/> in the partition of <paramref name="index"/>.</summary>
    public CosmosDocument Document(string id, long index, long version)
    {
        var random = new OperationRandom(seed ^ 0xC05_0D0C, (index * 31) + version);
        var user = Id(index);
        return kind == DocumentKind.Feature
            ? new CosmosDocument
            {
                Id = id, UserId = user, TenantId = Tenant(index), Pk = Bucket(index), Kind = "feature",
                Features = Vector(ref random, dimensions), Model = "ranker-v7", Version = version, UpdatedAt = 1_767_225_600_000 + version,
            }
            : new CosmosDocument
            {
                Id = id, UserId = user, TenantId = Tenant(index), Pk = Bucket(index), Kind = "profile",
                Country = Countries[random.NextLong(Countries.Length)],
                Segments = [.. Enumerable.Range(0, 1 + (int)random.NextLong(3)).Select(_ => SegmentNames[random.NextLong(SegmentNames.Length)]).Distinct()],
                Sessions = random.NextLong(500), Version = version, UpdatedAt = 1_767_225_600_000 + version,
            };
    }

    private static float[] Vector(ref OperationRandom random, int dimensions)
    {
        var vector = new float[dimensions];
        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return vector;
    }
}
