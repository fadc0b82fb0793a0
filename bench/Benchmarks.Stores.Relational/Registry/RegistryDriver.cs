using System.Data.Common;
using System.Net.Sockets;
using Benchmarks.Core.Stores;
using Benchmarks.Core.Workload;

namespace Benchmarks.Stores.Relational.Registry;

/// <summary>
/// The model registry workload on any relational store: the schema, the bulk preload and the
/// operations are the same questions asked in each dialect. Every operation takes a pooled
/// connection, runs parameterised statements and reads every column of every row it gets back
/// (as an application would), then returns the connection.
/// </summary>
internal sealed class RegistryDriver(string kind, RegistrySettings settings, IRegistryDialect dialect) : IStoreDriver, IPreloadingDriver, IExposesClient, IFaultTarget
{
    private RegistryModel? _model;

    /// <summary>Register writes versions "2.&lt;run&gt;.&lt;n&gt;": unique within a run and across runs on kept data.</summary>
    private readonly long _runStamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
    private long _registered;

    internal IRegistryDialect Dialect => dialect;

    public T? Client<T>() where T : class => dialect.Client(typeof(T)) as T;

    public IReadOnlyList<Type> ClientTypes => dialect.ClientTypes;

    public LocalServerProcess? LocalServer => dialect.LocalServer;

    public Task DropConnectionsAsync(CancellationToken cancellationToken) => dialect.DropConnectionsAsync(cancellationToken);

    public Task SlowAsync(TimeSpan duration, CancellationToken cancellationToken) => dialect.SlowAsync(duration, cancellationToken);

    internal RegistrySettings Settings => settings;

    internal int CommandTimeoutSeconds => Math.Max(1, (int)Math.Ceiling(settings.CommandTimeout.TotalSeconds));

    public async Task<StoreInfo> ConnectAsync(CancellationToken cancellationToken)
    {
        var target = await dialect.StartAsync(cancellationToken);
        string? serverVersion;
        try
        {
            // A hard bound above the driver's own connect timeout: a silent network must not hang the run.
            await using var connection = await dialect.OpenConnectionAsync(cancellationToken).AsTask()
                .WaitAsync(settings.ConnectTimeout + TimeSpan.FromSeconds(5), cancellationToken);
            serverVersion = connection.ServerVersion;
        }
        catch (Exception e) when (e is DbException or SocketException or TimeoutException or InvalidOperationException or ArgumentException)
        {
            // Driver messages name the host, never the password.
            throw new StoreUnavailableException($"cannot connect to {kind} at {target}: {FirstLine(e.Message)}", e);
        }

        return new StoreInfo(target, dialect.ClientLibrary, dialect.ClientVersion, kind, serverVersion);
    }

    internal RegistryModel Model(WorkloadContext workload) =>
        _model ??= new RegistryModel(workload.Seed, workload.KeyPrefix, settings.Shape);

    internal string NextRegisteredVersion() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"2.{_runStamp}.{Interlocked.Increment(ref _registered)}");

    public IStoreOperation CreateOperation(OperationDefinition operation, WorkloadContext workload)
    {
        var operationSettings = operation.SettingsOf<RegistryOperationSettings>();
        return dialect.CreateOwnClientOperation(operation.Operation, this, operationSettings, Model(workload), workload)
            ?? RegistryOperations.Create(operation.Operation, this, operationSettings, Model(workload), workload);
    }

    public ErrorKind Classify(Exception error) => dialect.Classify(error);

    /// <summary>
    /// Renting a pooled connection and writing the statement happen before a call's first await (up to a
    /// millisecond at the p99 here, more when the pool grows): started on the dispatcher's own thread, they
    /// delayed every operation due after them.
    /// </summary>
    public bool StartsInline => false;

    public (long Count, string Description) DescribePreload(DataDefinition data) =>
        (data.Keys, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{data.Keys:N0} model_registry rows ({settings.Shape.VersionsPerModel} versions per model, metadata {settings.Shape.MetadataBytes} B)"));

    /// <summary>Recreates the table, bulk-loads <c>data.keys</c> rows, then builds the indexes (faster than maintaining them row by row).</summary>
    public async Task PreloadAsync(WorkloadContext workload, DataDefinition data, IProgress<long> progress, CancellationToken cancellationToken)
    {
        var model = Model(workload);
        var statements = dialect.Statements;
        await using var connection = await dialect.OpenConnectionAsync(cancellationToken);
        foreach (var statement in statements.CreateSchema)
        {
            await ExecuteAsync(connection, statement, cancellationToken);
        }

        for (long first = 0; first < data.Keys; first += data.PreloadBatch)
        {
            var count = Math.Min(data.PreloadBatch, data.Keys - first);
            var from = first;
            await dialect.BulkLoadAsync(connection, Rows(model, from, count), cancellationToken);
            progress.Report(first + count);
        }

        foreach (var statement in statements.CreateIndexes)
        {
            await ExecuteAsync(connection, statement, cancellationToken);
        }

        await dialect.WaitForSearchIndexAsync(connection, cancellationToken);
    }

    private static IEnumerable<ModelRow> Rows(RegistryModel model, long first, long count)
    {
        for (var i = first; i < first + count; i++)
        {
            yield return model.Row(i);
        }
    }

    private async Task ExecuteAsync(DbConnection connection, string statement, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = statement;
        // Index builds over millions of rows take longer than an operation may.
        command.CommandTimeout = Math.Max(CommandTimeoutSeconds, 600);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public ValueTask DisposeAsync() => dialect.DisposeAsync();

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();
}
