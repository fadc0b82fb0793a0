namespace Benchmarks.Stores.Blob;

/// <summary>
/// What the <c>store:</c> section says for Blob storage. <see cref="Connection"/> is <c>local</c> (Azurite,
/// started by the harness), a connection string (account key or SAS), or an account URL
/// (<c>https://ACCOUNT.blob.core.windows.net</c>) reached with Entra ID.
/// </summary>
/// <param name="ArtifactSize">The size of every artifact the preload writes and <c>upload</c> overwrites.</param>
/// <param name="BufferSize">The buffer a download streams through: the most memory one transfer holds.</param>
public sealed record BlobSettings(
    string Connection,
    string Container,
    long ArtifactSize,
    int BufferSize,
    int PreloadConcurrency,
    TimeSpan ConnectTimeout,
    TimeSpan OperationTimeout)
{
    public const string Local = "local";

    public bool IsLocal => string.Equals(Connection, Local, StringComparison.OrdinalIgnoreCase);

    /// <summary>An account URL with no key in it: Entra ID (DefaultAzureCredential) signs the requests.</summary>
    public bool IsAccountUrl => Connection.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
}

/// <summary>One entry of the mix: a range read's length, a listing's page size.</summary>
public sealed record BlobOperationSettings(long RangeLength, int PageSize);
