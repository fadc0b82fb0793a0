using Benchmarks.Core.Parsing;
using Benchmarks.Core.Stores;

namespace Benchmarks.Stores.Blob;

/// <summary>Store kind <c>blob</c>: model artifacts in Azure Blob Storage (Azure.Storage.Blobs), or in Azurite started by the harness.</summary>
public sealed class BlobDriverFactory : StoreDriverFactory<BlobSettings, BlobOperationSettings>, IReportsStoreMetrics
{
    private const string ConnectionHint = "write 'local' (Azurite), a connection string (AccountName=...;AccountKey=... or a SAS), or https://ACCOUNT.blob.core.windows.net (Entra ID)";

    public override string Kind => "blob";

    public override string Description => "Azure Blob Storage (Azure.Storage.Blobs): model artifacts, or Azurite started locally";

    public override IReadOnlyList<string> Operations => BlobOperations.Names;

    public IReadOnlyList<StoreMetric> Metrics => BlobMetrics.All;

    public override BlobSettings ParseSettings(ScenarioSection store)
    {
        var connection = store.GetString("connection", BlobSettings.Local)!;
        var settings = new BlobSettings(
            connection,
            store.GetString("container", "bench-artifacts")!,
            store.GetSize("artifactSize", 1024 * 1024, min: 1, max: 190L * 1024 * 1024 * 1024 * 1024),
            (int)store.GetSize("bufferSize", 256 * 1024, min: 4 * 1024, max: 64 * 1024 * 1024),
            (int)store.GetInteger("preloadConcurrency", 4, min: 1, max: 64),
            store.GetDuration("connectTimeout", TimeSpan.FromSeconds(10), min: TimeSpan.FromMilliseconds(100)),
            store.GetDuration("operationTimeout", TimeSpan.FromSeconds(100), min: TimeSpan.FromMilliseconds(1)));
        if (!settings.IsLocal && !settings.IsAccountUrl && Part(connection, "AccountName") is null && Part(connection, "BlobEndpoint") is null)
        {
            store.Fail("connection", "not a Blob Storage connection string (no AccountName or BlobEndpoint)", ConnectionHint);
        }

        if (settings.Container.Length is < 3 or > 63 || !settings.Container.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
        {
            store.Fail("container", $"'{settings.Container}' is not a container name", "use 3 to 63 lower-case letters, digits and hyphens");
        }

        return settings;
    }

    /// <summary>The account or endpoint, never a key or a SAS token.</summary>
    public override string RedactTarget(BlobSettings settings) => Redact(settings);

    internal static string Redact(BlobSettings settings) =>
        settings.IsLocal ? "local Azurite"
        : settings.IsAccountUrl ? $"{new Uri(settings.Connection).Host} (Entra ID)"
        : Part(settings.Connection, "BlobEndpoint") is { } endpoint && Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) ? $"{uri.Host}:{uri.Port}"
        : Part(settings.Connection, "AccountName") is { } account ? $"{account}.blob (connection string)"
        : "(connection string)";

    public override BlobOperationSettings? ParseOperation(string operation, ScenarioSection entry) => new(
        operation == "range" ? entry.GetSize("length", 1024 * 1024, min: 1, max: 4L * 1024 * 1024 * 1024) : 0,
        operation == "list" ? (int)entry.GetInteger("pageSize", 100, min: 1, max: 5000) : 0);

    public override IStoreDriver Create(BlobSettings settings) => new BlobDriver(settings);

    /// <summary>One <c>Name=value</c> part of a connection string.</summary>
    internal static string? Part(string connection, string name) => connection.Split(';', StringSplitOptions.RemoveEmptyEntries)
        .Select(p => p.Split('=', 2)).Where(p => p.Length == 2 && p[0].Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
        .Select(p => p[1].Trim()).FirstOrDefault();
}
