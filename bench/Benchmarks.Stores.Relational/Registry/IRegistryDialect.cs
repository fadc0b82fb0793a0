using System.Data.Common;
using Benchmarks.Core.Stores;
using Benchmarks.Core.Workload;

namespace Benchmarks.Stores.Relational.Registry;

/// <summary>
/// What differs between the relational stores: the SQL dialect, how connections are made, how rows
/// are bulk-loaded and what an exception means. The workload (<see cref="RegistryDriver"/>) is shared.
/// </summary>
internal interface IRegistryDialect : IAsyncDisposable
{
    string ClientLibrary { get; }

    string ClientVersion { get; }

    RegistryStatements Statements { get; }

    /// <summary>Starts a local server when asked and builds the connection pool; returns the target as it may be printed.</summary>
    Task<string> StartAsync(CancellationToken cancellationToken);

    /// <summary>A pooled, open connection.</summary>
    ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken);

    Task BulkLoadAsync(DbConnection connection, IEnumerable<ModelRow> rows, CancellationToken cancellationToken);

    /// <summary>Makes the full-text index current after a bulk load (a no-op where it is updated synchronously).</summary>
    Task WaitForSearchIndexAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>The full-text query that finds rows tagged with every word.</summary>
    string SearchQuery(IReadOnlyList<string> words);

    ErrorKind Classify(Exception error);

    /// <summary>
    /// The operation through the dialect's own wire client when the scenario chose it (<c>client: lean</c>); null for
    /// the ADO.NET path (<see cref="RegistryOperations"/>).
    /// </summary>
    IStoreOperation? CreateOwnClientOperation(string operation, RegistryDriver driver, RegistryOperationSettings settings, RegistryModel model, WorkloadContext workload);

    /// <summary>The client a code-first flow may take (see <see cref="IExposesClient"/>); null for another type.</summary>
    object? Client(Type type);

    IReadOnlyList<Type> ClientTypes { get; }

    /// <summary>The local server the dialect started, for scripted faults; null for a server it reaches.</summary>
    LocalServerProcess? LocalServer { get; }

    /// <summary>See <see cref="IFaultTarget.DropConnectionsAsync"/>.</summary>
    Task DropConnectionsAsync(CancellationToken cancellationToken);

    /// <summary>See <see cref="IFaultTarget.SlowAsync"/>.</summary>
    Task SlowAsync(TimeSpan duration, CancellationToken cancellationToken);
}

/// <summary>Every statement a dialect issues, so tests can parse them all.</summary>
internal sealed record RegistryStatements(
    IReadOnlyList<string> CreateSchema,
    IReadOnlyList<string> CreateIndexes,
    string Lookup,
    string Latest,
    string ListByStatus,
    string Register,
    string PromoteLock,
    string PromoteUpdate,
    string SearchTags)
{
    public IEnumerable<string> All => [.. CreateSchema, .. CreateIndexes, Lookup, Latest, ListByStatus, Register, PromoteLock, PromoteUpdate, SearchTags];
}
