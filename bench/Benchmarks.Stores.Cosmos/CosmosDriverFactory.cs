using Benchmarks.Core.Parsing;
using Benchmarks.Core.Stores;

namespace Benchmarks.Stores.Cosmos;

/// <summary>Store kind <c>cosmos</c>: Azure Cosmos DB for NoSQL, or the local cosmosdb-server.</summary>
public sealed class CosmosDriverFactory : StoreDriverFactory<CosmosSettings, CosmosOperationSettings>, IReportsStoreMetrics, IHasFindingOperations
{
    /// <summary>A point read says whether the document was there (a miss is then no error): a flow branches on it.</summary>
    public IReadOnlyCollection<string> FindingOperations { get; } = ["read"];

    private static readonly Dictionary<string, DocumentKind> DocumentKinds = new(StringComparer.Ordinal)
    {
        ["feature"] = DocumentKind.Feature,
        ["profile"] = DocumentKind.Profile,
    };

    private static readonly Dictionary<string, PartitionStrategy> Strategies = new(StringComparer.Ordinal)
    {
        ["single"] = PartitionStrategy.Single,
        ["synthetic"] = PartitionStrategy.Synthetic,
        ["hierarchical"] = PartitionStrategy.Hierarchical,
    };

    private static readonly Dictionary<string, CosmosAuthentication> Authentications = new(StringComparer.Ordinal)
    {
        ["key"] = CosmosAuthentication.Key,
        ["entra-id"] = CosmosAuthentication.EntraId,
    };

    private static readonly Dictionary<string, bool> Modes = new(StringComparer.Ordinal)
    {
        ["gateway"] = true,
        ["direct"] = false,
    };

    private static readonly string[] Consistencies = ["Strong", "BoundedStaleness", "Session", "ConsistentPrefix", "Eventual"];

    public override string Kind => "cosmos";

    public override string Description => "Azure Cosmos DB for NoSQL (Microsoft.Azure.Cosmos): an account, or the local cosmosdb-server";

    public override IReadOnlyList<string> Operations => CosmosOperations.Names;

    public IReadOnlyList<StoreMetric> Metrics => CosmosMetrics.All;

    public static string Describe(string endpoint) =>
        Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) ? $"{uri.Host}:{uri.Port}" : "(not a URL)";

    public override CosmosSettings ParseSettings(ScenarioSection store)
    {
        var connection = store.GetString("connection", CosmosSettings.Local)!;
        var isLocal = string.Equals(connection, CosmosSettings.Local, StringComparison.OrdinalIgnoreCase);
        if (!isLocal && !(Uri.TryCreate(connection, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps))
        {
            store.Fail("connection", "not an account endpoint", "write 'local', or https://ACCOUNT.documents.azure.com:443/ (the key goes in 'key', from ${COSMOS_KEY})");
        }

        var authentication = store.GetChoice("authentication", CosmosAuthentication.Key, Authentications);
        var key = store.GetString("key");
        if (!isLocal && authentication == CosmosAuthentication.Key && string.IsNullOrEmpty(key))
        {
            store.Fail("key", "an account endpoint needs its key (or authentication: entra-id)", "key: \"${COSMOS_KEY}\"");
        }

        var consistency = store.GetString("consistency");
        if (consistency is not null && !Consistencies.Contains(consistency, StringComparer.OrdinalIgnoreCase))
        {
            store.Fail("consistency", $"'{consistency}' is not a consistency level", ScenarioSection.Suggest(consistency, Consistencies) ?? $"use one of: {string.Join(", ", Consistencies)}");
        }

        var regions = (store.GetList("preferredRegions") ?? []).OfType<YamlDotNet.RepresentationModel.YamlScalarNode>().Select(n => n.Value ?? "").Where(r => r.Length > 0).ToList();
        var gateway = store.GetChoice("mode", isLocal, Modes);
        if (isLocal && !gateway)
        {
            store.Fail("mode", "the local server speaks only the gateway protocol", "remove 'mode', or use an account");
        }

        var bulk = store.GetBool("bulkPreload", false);
        if (isLocal && bulk)
        {
            store.Fail("bulkPreload", "the local server does not understand bulk's binary format", "remove 'bulkPreload' for local runs");
        }

        var documents = store.GetSection("documents");
        var settings = new CosmosSettings(
            connection,
            key,
            authentication,
            store.GetString("database", "bench")!,
            store.GetString("container", "items")!,
            gateway,
            consistency,
            regions,
            (int)store.GetInteger("maxRetriesOn429", 9, min: 0, max: 1000),
            store.GetDuration("maxRetryWait", TimeSpan.FromSeconds(30), min: TimeSpan.Zero),
            store.GetDuration("connectTimeout", TimeSpan.FromSeconds(20), min: TimeSpan.FromSeconds(1)),
            store.GetDuration("requestTimeout", TimeSpan.FromSeconds(10), min: TimeSpan.FromMilliseconds(100)),
            store.Has("throughput") ? (int)store.GetInteger("throughput", 400, min: 400, max: 1_000_000) : null,
            documents?.GetChoice("kind", DocumentKind.Feature, DocumentKinds) ?? DocumentKind.Feature,
            (int)(documents?.GetInteger("dims", 128, min: 1, max: 20_000) ?? 128),
            documents?.GetChoice("partitioning", PartitionStrategy.Single, Strategies) ?? PartitionStrategy.Single,
            (int)(documents?.GetInteger("buckets", 16, min: 1, max: 1_000_000) ?? 16),
            (int)store.GetInteger("preloadConcurrency", 32, min: 1, max: 4096),
            bulk,
            store.GetBool("contentOnWrite", false));
        documents?.Complete();
        return settings;
    }

    public override string RedactTarget(CosmosSettings s)
    {
        return s.IsLocal ? "local cosmosdb-server" : Describe(s.Connection);
    }

    public override CosmosOperationSettings? ParseOperation(string operation, ScenarioSection entry)
    {
        string? statement = null;
        var cross = false;
        int pageSize = 100, maxPages = 1, items = 1;
        switch (operation)
        {
            case "query":
                statement = entry.GetString("statement", "SELECT * FROM c WHERE c.userId = @userId")!;
                cross = entry.GetChoice("scope", false, new Dictionary<string, bool>(StringComparer.Ordinal) { ["partition"] = false, ["cross-partition"] = true });
                pageSize = (int)entry.GetInteger("pageSize", 100, min: 1, max: 10_000);
                maxPages = (int)entry.GetInteger("maxPages", 1, min: 1, max: 100_000);
                break;
            case "read-many":
                items = (int)entry.GetInteger("items", 10, min: 1, max: 1000);
                break;
            case "batch":
                // TransactionalBatch takes at most 100 operations.
                items = (int)entry.GetInteger("items", 5, min: 1, max: 100);
                break;
        }

        return new CosmosOperationSettings(statement, cross, pageSize, maxPages, items);
    }

    public override IStoreDriver Create(CosmosSettings settings) => new CosmosDriver(settings);
}
