using System.Data.Common;
using System.Globalization;
using System.Net.Sockets;
using Azure.Core;
using Azure.Identity;
using Benchmarks.Core.Stores;
using Benchmarks.Core.Workload;
using Benchmarks.Stores.Relational.Postgres.Lean;
using Benchmarks.Stores.Relational.Registry;
using Npgsql;
using NpgsqlTypes;

namespace Benchmarks.Stores.Relational.Postgres;

/// <summary>Store kind <c>postgres</c>: Azure Database for PostgreSQL or any PostgreSQL, through Npgsql.</summary>
internal sealed class PostgresEngine : IRegistryEngine
{
    public static readonly PostgresEngine Instance = new();

    public string Kind => "postgres";

    public string Description => "PostgreSQL (Npgsql): a local throwaway cluster, any server, Azure Database for PostgreSQL";

    public bool SupportsLocal => true;

    public bool SupportsPrepare => true;

    public string LibraryClient => "npgsql";

    public bool HasLeanClient => true;

    public string? LeanClientProblem(string connection) => LeanPgEndpoint.Problem(connection);

    public string ConnectionHint => "write 'local', or a connection string such as \"Host=h;Port=5432;Database=d;Username=u;Password=${PG_PASSWORD}\"";

    public string? ValidateConnectionString(string connection)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connection);
            return string.IsNullOrEmpty(builder.Host) ? "the connection string names no Host" : null;
        }
        catch (ArgumentException e)
        {
            // The message names the keyword, not its value.
            return $"not a valid PostgreSQL connection string: {e.Message.Split('\n')[0]}";
        }
    }

    public string Describe(string connection)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connection);
            return string.Create(CultureInfo.InvariantCulture, $"{builder.Host}:{builder.Port}/{builder.Database ?? builder.Username}");
        }
        catch (ArgumentException)
        {
            return "(unparsable connection string)";
        }
    }

    public IRegistryDialect CreateDialect(RegistrySettings settings) => new PostgresDialect(settings);
}

/// <summary>
/// The registry in PostgreSQL: <c>jsonb</c> metadata, a generated <c>tsvector</c> over the tags with a
/// GIN index, binary COPY for the preload, and statements prepared automatically on each pooled
/// connection after their second use (Npgsql's auto-prepare), as <c>pgbench -M prepared</c> does.
/// With <c>client: lean</c> the workload's operations go through the harness's own wire client
/// (<see cref="LeanRegistryOperations"/>) and everything else still through Npgsql.
/// </summary>
internal sealed class PostgresDialect(RegistrySettings settings) : IRegistryDialect
{
    private const string Columns = "model_id, model_name, version, status, created_at, updated_at, metadata, owner, tags";

    private static readonly RegistryStatements Sql = new(
        CreateSchema:
        [
            "DROP TABLE IF EXISTS model_registry",
            """
            CREATE TABLE model_registry (
                model_id uuid NOT NULL CONSTRAINT pk_model_registry PRIMARY KEY,
                model_name varchar(255) NOT NULL,
                version varchar(50) NOT NULL,
                status varchar(20) NOT NULL CONSTRAINT ck_model_registry_status CHECK (status IN ('draft', 'testing', 'staging', 'production')),
                created_at timestamptz NOT NULL DEFAULT now(),
                updated_at timestamptz NOT NULL DEFAULT now(),
                metadata jsonb,
                owner varchar(100),
                tags varchar(1000),
                tags_search tsvector GENERATED ALWAYS AS (to_tsvector('simple', coalesce(tags, ''))) STORED
            )
            """,
        ],
        CreateIndexes:
        [
            // Unique: a (name, version) pair names one model version; registering it twice is a constraint error.
            "CREATE UNIQUE INDEX idx_model_name_version ON model_registry (model_name, version)",
            // (status, model_id): SQL Server's index on status carries the clustered key the same way, so paging by id is an index walk in both.
            "CREATE INDEX idx_status ON model_registry (status, model_id)",
            "CREATE INDEX ft_idx_tags ON model_registry USING GIN (tags_search)",
            "ANALYZE model_registry",
        ],
        Lookup: $"SELECT {Columns} FROM model_registry WHERE model_name = @name AND version = @version",
        Latest: $"SELECT {Columns} FROM model_registry WHERE model_name = @name AND status = 'production' ORDER BY created_at DESC LIMIT 1",
        ListByStatus: "SELECT model_id, model_name, version, status, updated_at FROM model_registry WHERE status = @status ORDER BY model_id LIMIT @limit OFFSET @offset",
        Register: $"INSERT INTO model_registry ({Columns}) VALUES (@model_id, @model_name, @version, @status, now(), now(), @metadata::jsonb, @owner, @tags)",
        PromoteLock: "SELECT status FROM model_registry WHERE model_name = @name AND version = @version FOR UPDATE",
        PromoteUpdate: "UPDATE model_registry SET status = @status, updated_at = now() WHERE model_name = @name AND version = @version",
        SearchTags: "SELECT model_id, model_name, version, status, tags FROM model_registry WHERE tags_search @@ plainto_tsquery('simple', @query) LIMIT @limit");

    private LocalPostgres? _local;
    private NpgsqlDataSource? _dataSource;
    private LeanPgPool? _lean;

    public object? Client(Type type) => type == typeof(NpgsqlDataSource) ? _dataSource : null;

    public IReadOnlyList<Type> ClientTypes { get; } = [typeof(NpgsqlDataSource)];

    public LocalServerProcess? LocalServer => _local?.Server;

    /// <summary>pg_terminate_backend of every other session of the database: the workload's pooled connections break.</summary>
    public async Task DropConnectionsAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource!.CreateCommand(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
        await command.ExecuteScalarAsync(cancellationToken);
    }

    /// <summary>A transaction that takes the registry table's exclusive lock and sleeps: every statement of the workload waits on it.</summary>
    public async Task SlowAsync(TimeSpan duration, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource!.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var command = new NpgsqlCommand("LOCK TABLE model_registry IN ACCESS EXCLUSIVE MODE", connection, transaction))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var sleep = new NpgsqlCommand("SELECT pg_sleep(@seconds)", connection, transaction) { CommandTimeout = (int)duration.TotalSeconds + 30 })
        {
            sleep.Parameters.AddWithValue("seconds", duration.TotalSeconds);
            await sleep.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public string ClientLibrary => settings.Client == RegistryClient.Lean ? "bench lean PostgreSQL" : "Npgsql";

    public string ClientVersion => (settings.Client == RegistryClient.Lean ? typeof(LeanPgConnection) : typeof(NpgsqlConnection)).Assembly.GetName().Version?.ToString() ?? "?";

    public IStoreOperation? CreateOwnClientOperation(string operation, RegistryDriver driver, RegistryOperationSettings operationSettings, RegistryModel model, WorkloadContext workload) =>
        _lean is null ? null : LeanRegistryOperations.Create(operation, _lean, driver, operationSettings, model, workload);

    public RegistryStatements Statements => Sql;

    public async Task<string> StartAsync(CancellationToken cancellationToken)
    {
        string connection;
        string target;
        if (settings.IsLocal)
        {
            _local = await LocalPostgres.StartAsync(cancellationToken);
            connection = _local.ConnectionString;
            target = string.Create(CultureInfo.InvariantCulture, $"local PostgreSQL {_local.Version} at 127.0.0.1:{_local.Port}");
        }
        else
        {
            connection = settings.Connection;
            target = PostgresEngine.Instance.Describe(connection);
        }

        var builder = new NpgsqlDataSourceBuilder(connection);
        var options = builder.ConnectionStringBuilder;
        options.MaxPoolSize = settings.PoolSize;
        options.Timeout = Math.Max(1, (int)Math.Ceiling(settings.ConnectTimeout.TotalSeconds));
        options.CommandTimeout = Math.Max(1, (int)Math.Ceiling(settings.CommandTimeout.TotalSeconds));
        options.ApplicationName = "bench";
        // A pooled connection keeps its session as pgbench's do; resetting it on every return is a round trip pgbench never pays.
        options.NoResetOnClose = true;
        if (settings.Prepare)
        {
            options.MaxAutoPrepare = 64;
            options.AutoPrepareMinUsages = 2;
        }

        if (settings.Authentication == RegistryAuthentication.EntraId)
        {
            var credential = new DefaultAzureCredential();
            var scope = new TokenRequestContext(["https://ossrdbms-aad.database.windows.net/.default"]);
            builder.UsePeriodicPasswordProvider(
                async (_, token) => (await credential.GetTokenAsync(scope, token)).Token,
                TimeSpan.FromMinutes(30), TimeSpan.FromSeconds(5));
        }

        _dataSource = builder.Build();
        if (settings.Client == RegistryClient.Lean)
        {
            _lean = new LeanPgPool(LeanPgEndpoint.From(connection, settings.ConnectTimeout, settings.CommandTimeout), settings.PoolSize, settings.Prepare);
            try
            {
                // One connection opened now: a refused password or an unreachable server is known before the run, not as its errors.
                _lean.Return(await _lean.RentAsync(cancellationToken));
            }
            catch (Exception e) when (e is LeanPgServerException or LeanPgConnectionException or SocketException or TimeoutException or System.Security.Authentication.AuthenticationException)
            {
                // The messages name host, port and database, never the password.
                throw new StoreUnavailableException($"cannot connect to postgres at {target} through the lean client: {e.Message}", e);
            }
        }

        return target;
    }

    public async ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) =>
        await _dataSource!.OpenConnectionAsync(cancellationToken);

    public async Task BulkLoadAsync(DbConnection connection, IEnumerable<ModelRow> rows, CancellationToken cancellationToken)
    {
        await using var importer = await ((NpgsqlConnection)connection).BeginBinaryImportAsync(
            $"COPY model_registry ({Columns}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var row in rows)
        {
            await importer.StartRowAsync(cancellationToken);
            await importer.WriteAsync(row.ModelId, NpgsqlDbType.Uuid, cancellationToken);
            await importer.WriteAsync(row.ModelName, NpgsqlDbType.Varchar, cancellationToken);
            await importer.WriteAsync(row.Version, NpgsqlDbType.Varchar, cancellationToken);
            await importer.WriteAsync(row.Status, NpgsqlDbType.Varchar, cancellationToken);
            await importer.WriteAsync(row.CreatedAt, NpgsqlDbType.TimestampTz, cancellationToken);
            await importer.WriteAsync(row.UpdatedAt, NpgsqlDbType.TimestampTz, cancellationToken);
            await importer.WriteAsync(row.Metadata, NpgsqlDbType.Jsonb, cancellationToken);
            await importer.WriteAsync(row.Owner, NpgsqlDbType.Varchar, cancellationToken);
            await importer.WriteAsync(row.Tags, NpgsqlDbType.Varchar, cancellationToken);
        }

        await importer.CompleteAsync(cancellationToken);
    }

    /// <summary>GIN indexes are maintained with each write: nothing to wait for.</summary>
    public Task WaitForSearchIndexAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>plainto_tsquery joins the words with AND.</summary>
    public string SearchQuery(IReadOnlyList<string> words) => string.Join(' ', words);

    public ErrorKind Classify(Exception error) => error switch
    {
        PostgresException p => BySqlState(p.SqlState),
        LeanPgServerException l => BySqlState(l.SqlState),
        NpgsqlException { InnerException: TimeoutException } or TimeoutException => ErrorKind.Timeout,
        NpgsqlException or SocketException or IOException or ObjectDisposedException => ErrorKind.Connection,
        _ => ErrorKind.Other,
    };

    /// <summary>What the server's SQLSTATE says, whichever client reported it.</summary>
    private static ErrorKind BySqlState(string state) => state switch
    {
        "57014" => ErrorKind.Timeout,
        // Integrity constraint violations: unique, check, not-null, foreign key.
        _ when state.StartsWith("23", StringComparison.Ordinal) => ErrorKind.Constraint,
        // Syntax, undefined table or column, wrong type: the statement is the problem.
        _ when state.StartsWith("42", StringComparison.Ordinal) || state.StartsWith("22", StringComparison.Ordinal) => ErrorKind.Client,
        // Too many connections, server shutting down or starting up.
        _ when state.StartsWith("53", StringComparison.Ordinal) || state.StartsWith("57P", StringComparison.Ordinal) => ErrorKind.Connection,
        _ => ErrorKind.Server,
    };

    public async ValueTask DisposeAsync()
    {
        if (_lean is not null)
        {
            await _lean.DisposeAsync();
        }

        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }

        if (_local is not null)
        {
            await _local.DisposeAsync();
        }
    }
}
