namespace Benchmarks.Stores.Relational.Registry;

/// <summary>How the driver authenticates: what the connection string says, or a Microsoft Entra ID token.</summary>
public enum RegistryAuthentication
{
    ConnectionString,
    EntraId,
}

/// <summary>Which client the workload's operations go through.</summary>
public enum RegistryClient
{
    /// <summary>The store's ADO.NET library: Npgsql or Microsoft.Data.SqlClient.</summary>
    Library,

    /// <summary>PostgreSQL only: the harness's own wire-protocol client, with no library between the operation and the socket.</summary>
    Lean,
}

/// <summary>
/// The validated <c>store:</c> section of a relational scenario. <see cref="Connection"/> is <c>local</c>
/// (PostgreSQL only: a throwaway cluster) or a connection string, which never leaves this record
/// except to open connections.
/// </summary>
public sealed record RegistrySettings(
    string Connection,
    RegistryAuthentication Authentication,
    int PoolSize,
    TimeSpan ConnectTimeout,
    TimeSpan CommandTimeout,
    bool Prepare,
    RegistryShape Shape)
{
    public const string Local = "local";

    public bool IsLocal => string.Equals(Connection, Local, StringComparison.OrdinalIgnoreCase);

    public RegistryClient Client { get; init; } = RegistryClient.Library;
}

/// <summary>Where a value of a <c>sql</c> operation's parameter comes from.</summary>
public enum SqlArgumentSource
{
    /// <summary>The text as written in the scenario.</summary>
    Literal,

    /// <summary>The model name of the row the key distribution picked.</summary>
    ModelName,

    /// <summary>The version of that row.</summary>
    ModelVersion,

    /// <summary>The row's index, a number (0 to keys − 1).</summary>
    RowIndex,

    /// <summary>A word of the tag vocabulary.</summary>
    Tag,
}

/// <summary>One parameter of a <c>sql</c> operation; a literal is parsed once: a whole number is sent as a number, anything else as text.</summary>
public sealed record SqlArgument(string Name, SqlArgumentSource Source, object? Literal);

/// <summary>Arguments of one mix entry; each operation reads the fields it needs.</summary>
public sealed record RegistryOperationSettings(
    string Status,
    int PageSize,
    int Pages,
    int Terms,
    string PromoteTo,
    string? Statement,
    IReadOnlyList<SqlArgument> Arguments);
