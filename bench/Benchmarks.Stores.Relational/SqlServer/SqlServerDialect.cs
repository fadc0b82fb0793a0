using System.Data;
using System.Data.Common;
using System.Net.Sockets;
using Azure.Core;
using Azure.Identity;
using Benchmarks.Core.Stores;
using Benchmarks.Core.Workload;
using Benchmarks.Stores.Relational.Registry;
using Benchmarks.Stores.SqlClient;
using Microsoft.Data.SqlClient;

namespace Benchmarks.Stores.Relational.SqlServer;

/// <summary>Store kind <c>sqlserver</c>: Azure SQL Database or SQL Server, through Microsoft.Data.SqlClient.</summary>
internal sealed class SqlServerEngine : IRegistryEngine
{
    public static readonly SqlServerEngine Instance = new();

    public string Kind => "sqlserver";

    public string Description => "Azure SQL Database / SQL Server (Microsoft.Data.SqlClient); needs a connection string";

    public bool SupportsLocal => false;

    // Parameterised statements go through sp_executesql, whose plans the server caches: preparing adds round trips, not speed.
    public bool SupportsPrepare => false;

    public string LibraryClient => "sqlclient";

    public bool HasLeanClient => false;

    public string? LeanClientProblem(string connection) => null;

    public string ConnectionHint => "give a connection string from an environment variable, e.g. connection: \"${AZURE_SQL_CONNECTION}\" (Server=tcp:NAME.database.windows.net,1433;Database=D;User ID=U;Password=P;Encrypt=true), with 'authentication: entra-id' for Microsoft Entra ID";

    public string? ValidateConnectionString(string connection)
    {
        try
        {
            var builder = new SqlConnectionStringBuilder(connection);
            return string.IsNullOrEmpty(builder.DataSource) ? "the connection string names no Server" : null;
        }
        catch (Exception e) when (e is ArgumentException or KeyNotFoundException or FormatException)
        {
            // The message names the keyword, not its value.
            return $"not a valid SQL Server connection string: {e.Message.Split('\n')[0]}";
        }
    }

    public string Describe(string connection)
    {
        try
        {
            var builder = new SqlConnectionStringBuilder(connection);
            return $"{builder.DataSource}/{builder.InitialCatalog}";
        }
        catch (Exception e) when (e is ArgumentException or KeyNotFoundException or FormatException)
        {
            return "(unparsable connection string)";
        }
    }

    public IRegistryDialect CreateDialect(RegistrySettings settings) => new SqlServerDialect(settings);
}

/// <summary>
/// The registry in T-SQL, as the seed gives it (a uniqueidentifier key, nvarchar metadata checked
/// with ISJSON, a full-text index on tags), loaded with SqlBulkCopy. No SQL Server runs on these
/// machines: every statement here is parsed offline by ScriptDom in the unit tests.
/// </summary>
internal sealed class SqlServerDialect(RegistrySettings settings) : IRegistryDialect
{
    private const string Columns = "model_id, model_name, version, status, created_at, updated_at, metadata, owner, tags";

    internal static readonly RegistryStatements Sql = new(
        CreateSchema:
        [
            "IF OBJECT_ID(N'dbo.model_registry', N'U') IS NOT NULL DROP TABLE dbo.model_registry;",
            """
            CREATE TABLE dbo.model_registry (
                model_id UNIQUEIDENTIFIER NOT NULL CONSTRAINT PK_model_registry PRIMARY KEY,
                model_name NVARCHAR(255) NOT NULL,
                version NVARCHAR(50) NOT NULL,
                status NVARCHAR(20) NOT NULL CONSTRAINT CK_model_registry_status CHECK (status IN (N'draft', N'testing', N'staging', N'production')),
                created_at DATETIME2 NOT NULL CONSTRAINT DF_model_registry_created_at DEFAULT SYSUTCDATETIME(),
                updated_at DATETIME2 NOT NULL CONSTRAINT DF_model_registry_updated_at DEFAULT SYSUTCDATETIME(),
                metadata NVARCHAR(MAX) NULL CONSTRAINT CK_model_registry_metadata CHECK (ISJSON(metadata) = 1),
                owner NVARCHAR(100) NULL,
                tags NVARCHAR(1000) NULL
            );
            """,
        ],
        CreateIndexes:
        [
            "CREATE UNIQUE INDEX idx_model_name_version ON dbo.model_registry (model_name, version);",
            "CREATE INDEX idx_status ON dbo.model_registry (status);",
            // Full-text search is an optional feature of a SQL Server install (Azure SQL has it; the Linux container image does not).
            """
            IF FULLTEXTSERVICEPROPERTY('IsFullTextInstalled') = 1
            BEGIN
                IF NOT EXISTS (SELECT 1 FROM sys.fulltext_catalogs WHERE name = N'registry_catalog')
                    EXEC (N'CREATE FULLTEXT CATALOG registry_catalog;');
                EXEC (N'CREATE FULLTEXT INDEX ON dbo.model_registry (tags) KEY INDEX PK_model_registry ON registry_catalog WITH CHANGE_TRACKING AUTO;');
            END;
            """,
        ],
        Lookup: $"SELECT {Columns} FROM dbo.model_registry WHERE model_name = @name AND version = @version;",
        Latest: $"SELECT TOP (1) {Columns} FROM dbo.model_registry WHERE model_name = @name AND status = N'production' ORDER BY created_at DESC;",
        ListByStatus: "SELECT model_id, model_name, version, status, updated_at FROM dbo.model_registry WHERE status = @status ORDER BY model_id OFFSET @offset ROWS FETCH NEXT @limit ROWS ONLY;",
        Register: $"INSERT INTO dbo.model_registry ({Columns}) VALUES (@model_id, @model_name, @version, @status, SYSUTCDATETIME(), SYSUTCDATETIME(), @metadata, @owner, @tags);",
        PromoteLock: "SELECT status FROM dbo.model_registry WITH (UPDLOCK, ROWLOCK) WHERE model_name = @name AND version = @version;",
        PromoteUpdate: "UPDATE dbo.model_registry SET status = @status, updated_at = SYSUTCDATETIME() WHERE model_name = @name AND version = @version;",
        SearchTags: "SELECT TOP (@limit) model_id, model_name, version, status, tags FROM dbo.model_registry WHERE CONTAINS(tags, @query);");

    /// <summary>While the full-text index is being populated after the load.</summary>
    internal const string PopulateStatus = "SELECT CASE WHEN FULLTEXTSERVICEPROPERTY('IsFullTextInstalled') = 1 AND EXISTS (SELECT 1 FROM sys.fulltext_catalogs WHERE name = N'registry_catalog') THEN CAST(FULLTEXTCATALOGPROPERTY('registry_catalog', 'PopulateStatus') AS int) ELSE 0 END;";

    private string? _connectionString;
    private TokenCredential? _credential;

    public string ClientLibrary => "Microsoft.Data.SqlClient";

    public string ClientVersion => typeof(SqlConnection).Assembly.GetName().Version?.ToString() ?? "?";

    public RegistryStatements Statements => Sql;

    public Task<string> StartAsync(CancellationToken cancellationToken)
    {
        var builder = new SqlConnectionStringBuilder(settings.Connection)
        {
            MaxPoolSize = settings.PoolSize,
            ConnectTimeout = Math.Max(1, (int)Math.Ceiling(settings.ConnectTimeout.TotalSeconds)),
            CommandTimeout = Math.Max(1, (int)Math.Ceiling(settings.CommandTimeout.TotalSeconds)),
            ApplicationName = "bench",
            // One try: a benchmark reports an unreachable server, it does not hide it behind retries.
            ConnectRetryCount = 0,
        };
        _connectionString = builder.ConnectionString;
        if (settings.Authentication == RegistryAuthentication.EntraId)
        {
            _credential = new DefaultAzureCredential();
        }

        return Task.FromResult(SqlServerEngine.Instance.Describe(settings.Connection));
    }

    /// <summary>A new connection to open and dispose yourself; under Entra ID it carries no token, so take the connection string's server with your own credential.</summary>
    public object? Client(Type type) => type == typeof(SqlConnection) && _credential is null ? new SqlConnection(_connectionString) : null;

    public IReadOnlyList<Type> ClientTypes { get; } = [typeof(SqlConnection)];

    public LocalServerProcess? LocalServer => null;

    public Task DropConnectionsAsync(CancellationToken cancellationToken) =>
        throw new NotSupportedException("dropping connections is done for PostgreSQL and Redis; against SQL Server use action: command");

    public Task SlowAsync(TimeSpan duration, CancellationToken cancellationToken) =>
        throw new NotSupportedException("slowing the server is done for PostgreSQL and Redis; against SQL Server use action: command");

    public async ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) =>
        await SqlServerConnections.OpenAsync(_connectionString!, _credential, cancellationToken);

    public async Task BulkLoadAsync(DbConnection connection, IEnumerable<ModelRow> rows, CancellationToken cancellationToken)
    {
        using var table = new DataTable();
        table.Columns.Add("model_id", typeof(Guid));
        foreach (var name in (string[])["model_name", "version", "status"])
        {
            table.Columns.Add(name, typeof(string));
        }

        table.Columns.Add("created_at", typeof(DateTime));
        table.Columns.Add("updated_at", typeof(DateTime));
        foreach (var name in (string[])["metadata", "owner", "tags"])
        {
            table.Columns.Add(name, typeof(string));
        }

        foreach (var r in rows)
        {
            table.Rows.Add(r.ModelId, r.ModelName, r.Version, r.Status, r.CreatedAt, r.UpdatedAt, r.Metadata, r.Owner, r.Tags);
        }

        using var copy = new SqlBulkCopy((SqlConnection)connection) { DestinationTableName = "dbo.model_registry", BulkCopyTimeout = 600 };
        foreach (DataColumn column in table.Columns)
        {
            copy.ColumnMappings.Add(column.ColumnName, column.ColumnName);
        }

        await copy.WriteToServerAsync(table, cancellationToken);
    }

    public async Task WaitForSearchIndexAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddMinutes(10);
        while (DateTime.UtcNow < deadline)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = PopulateStatus;
            if (Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) == 0)
            {
                return;
            }

            await Task.Delay(500, cancellationToken);
        }
    }

    /// <summary>A CONTAINS condition that needs every word.</summary>
    public string SearchQuery(IReadOnlyList<string> words) => string.Join(" AND ", words.Select(w => $"\"{w}\""));

    /// <summary>SQL Server has no lean client: every operation goes through Microsoft.Data.SqlClient.</summary>
    public IStoreOperation? CreateOwnClientOperation(string operation, RegistryDriver driver, RegistryOperationSettings settings, RegistryModel model, WorkloadContext workload) => null;

    public ErrorKind Classify(Exception error) => error switch
    {
        SqlException { Number: -2 } => ErrorKind.Timeout,
        // Duplicate key (2627, 2601), check or foreign key (547), NULL into NOT NULL (515).
        SqlException { Number: 2627 or 2601 or 547 or 515 } => ErrorKind.Constraint,
        // Syntax, unknown column or object, conversion.
        SqlException { Number: 102 or 207 or 208 or 245 or 8114 } => ErrorKind.Client,
        // Network errors, login failures, Azure SQL's transient "database unavailable" family.
        SqlException { Number: -1 or 2 or 53 or 64 or 121 or 233 or 4060 or 10053 or 10054 or 10060 or 10061 or 18456 or 40197 or 40501 or 40613 or 49918 or 49919 or 49920 } => ErrorKind.Connection,
        SqlException => ErrorKind.Server,
        TimeoutException => ErrorKind.Timeout,
        SocketException or IOException or InvalidOperationException or ObjectDisposedException => ErrorKind.Connection,
        _ => ErrorKind.Other,
    };

    public ValueTask DisposeAsync()
    {
        if (_connectionString is not null)
        {
            // Pools are per connection string; closing ours ends the physical connections now, not at exit.
            SqlConnection.ClearAllPools();
        }

        return ValueTask.CompletedTask;
    }
}
