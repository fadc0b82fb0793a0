using Benchmarks.Core.Parsing;
using Benchmarks.Core.Stores;

namespace Benchmarks.Stores.Relational.Registry;

/// <summary>
/// Store kinds <c>postgres</c> and <c>sqlserver</c>: the same registry workload, settings and
/// operations; the <see cref="IRegistryEngine"/> says what differs.
/// </summary>
public sealed class RegistryDriverFactory : StoreDriverFactory<RegistrySettings, RegistryOperationSettings>
{
    private static readonly Dictionary<string, RegistryAuthentication> Authentications = new(StringComparer.Ordinal)
    {
        ["connection-string"] = RegistryAuthentication.ConnectionString,
        ["entra-id"] = RegistryAuthentication.EntraId,
    };

    private static readonly string[] SqlSources = ["{model.name}", "{model.version}", "{row.index}", "{tag}"];

    private readonly IRegistryEngine _engine;

    internal RegistryDriverFactory(IRegistryEngine engine) => _engine = engine;

    public static IStoreDriverFactory Postgres { get; } = new RegistryDriverFactory(Relational.Postgres.PostgresEngine.Instance);

    public static IStoreDriverFactory SqlServer { get; } = new RegistryDriverFactory(Relational.SqlServer.SqlServerEngine.Instance);

    public override string Kind => _engine.Kind;

    public override string Description => _engine.Description;

    public override IReadOnlyList<string> Operations => RegistryOperations.Names;

    public override RegistrySettings ParseSettings(ScenarioSection store)
    {
        var connection = store.GetString("connection", _engine.SupportsLocal ? RegistrySettings.Local : null, required: !_engine.SupportsLocal) ?? "";
        var isLocal = string.Equals(connection, RegistrySettings.Local, StringComparison.OrdinalIgnoreCase);
        if (isLocal && !_engine.SupportsLocal)
        {
            store.Fail("connection", $"{Kind} has no local server on this machine", _engine.ConnectionHint);
        }
        else if (!isLocal && _engine.ValidateConnectionString(connection) is { } problem)
        {
            store.Fail("connection", problem, _engine.ConnectionHint);
        }

        var authentication = store.GetChoice("authentication", RegistryAuthentication.ConnectionString, Authentications);
        if (authentication == RegistryAuthentication.EntraId && isLocal)
        {
            store.Fail("authentication", "entra-id needs a server in Azure, not the local one", "remove 'authentication:' or give an Azure connection string");
        }

        var clients = new Dictionary<string, RegistryClient>(StringComparer.Ordinal) { [_engine.LibraryClient] = RegistryClient.Library };
        if (_engine.HasLeanClient)
        {
            clients["lean"] = RegistryClient.Lean;
        }

        var client = store.GetChoice("client", RegistryClient.Library, clients);
        if (client == RegistryClient.Lean && authentication == RegistryAuthentication.EntraId)
        {
            store.Fail("client", "the lean client does not fetch Microsoft Entra ID tokens", "remove 'client: lean' (Npgsql does) or authenticate with a password");
        }
        else if (client == RegistryClient.Lean && !isLocal && _engine.LeanClientProblem(connection) is { } leanProblem)
        {
            store.Fail("client", leanProblem, "remove 'client: lean' to go through Npgsql, or change the connection string");
        }

        var shape = new RegistryShape(8, 1024, 3);
        if (store.GetSection("registry") is { } registry)
        {
            shape = new RegistryShape(
                (int)registry.GetInteger("versionsPerModel", shape.VersionsPerModel, min: 1, max: 10_000),
                (int)registry.GetInteger("metadataBytes", shape.MetadataBytes, min: 64, max: 1024 * 1024),
                (int)registry.GetInteger("tagsPerModel", shape.TagsPerModel, min: 1, max: RegistryModel.TagWords.Length));
            registry.Complete();
        }

        return new RegistrySettings(
            connection,
            authentication,
            (int)store.GetInteger("poolSize", 100, min: 1, max: 10_000),
            store.GetDuration("connectTimeout", TimeSpan.FromSeconds(5), min: TimeSpan.FromSeconds(1)),
            store.GetDuration("commandTimeout", TimeSpan.FromSeconds(30), min: TimeSpan.FromSeconds(1)),
            _engine.SupportsPrepare && store.GetBool("prepare", true),
            shape)
        {
            Client = client,
        };
    }

    public override string RedactTarget(RegistrySettings s)
    {
        return s.IsLocal ? $"local {Kind} (throwaway cluster)" : _engine.Describe(s.Connection);
    }

    public override RegistryOperationSettings? ParseOperation(string operation, ScenarioSection entry)
    {
        var status = "production";
        var pageSize = 50;
        var pages = 1;
        var terms = 1;
        var to = "production";
        string? statement = null;
        var arguments = new List<SqlArgument>();
        switch (operation)
        {
            case "list-by-status":
                status = Status(entry, "status", status);
                pageSize = (int)entry.GetInteger("pageSize", pageSize, min: 1, max: 100_000);
                pages = (int)entry.GetInteger("pages", 10, min: 1, max: 1_000_000);
                break;
            case "search-tags":
                terms = (int)entry.GetInteger("terms", terms, min: 1, max: 8);
                pageSize = (int)entry.GetInteger("limit", 20, min: 1, max: 100_000);
                break;
            case "promote":
                to = Status(entry, "to", to);
                break;
            case "sql":
                statement = entry.GetString("statement", required: true);
                if (entry.GetSection("parameters") is { } parameters)
                {
                    foreach (var name in parameters.Keys())
                    {
                        var value = parameters.GetString(name) ?? "";
                        var source = value switch
                        {
                            "{model.name}" => SqlArgumentSource.ModelName,
                            "{model.version}" => SqlArgumentSource.ModelVersion,
                            "{row.index}" => SqlArgumentSource.RowIndex,
                            "{tag}" => SqlArgumentSource.Tag,
                            _ => SqlArgumentSource.Literal,
                        };
                        if (source == SqlArgumentSource.Literal && value.StartsWith('{') && value.EndsWith('}'))
                        {
                            parameters.Fail(name, $"'{value}' is not a value source",
                                ScenarioSection.Suggest(value, SqlSources) ?? $"use one of {string.Join(", ", SqlSources)}, or a literal");
                        }

                        if (statement is not null && !statement.Contains("@" + name, StringComparison.Ordinal))
                        {
                            parameters.Fail(name, $"the statement has no @{name}", "name each parameter as it is written after '@' in the statement");
                        }

                        object? literal = source != SqlArgumentSource.Literal ? null
                            : long.TryParse(value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var number) ? number : value;
                        arguments.Add(new SqlArgument(name, source, literal));
                    }
                }

                break;
        }

        return new RegistryOperationSettings(status, pageSize, pages, terms, to, statement, arguments);
    }

    private static string Status(ScenarioSection entry, string key, string fallback)
    {
        var value = entry.GetString(key, fallback)!;
        if (!RegistryModel.Statuses.Contains(value))
        {
            entry.Fail(key, $"'{value}' is not a registry status",
                ScenarioSection.Suggest(value, RegistryModel.Statuses) ?? $"use one of: {string.Join(", ", RegistryModel.Statuses)}");
        }

        return value;
    }

    public override IStoreDriver Create(RegistrySettings s)
    {
        return new RegistryDriver(Kind, s, _engine.CreateDialect(s));
    }
}

/// <summary>What one relational store kind brings to the shared registry workload.</summary>
internal interface IRegistryEngine
{
    string Kind { get; }

    string Description { get; }

    bool SupportsLocal { get; }

    bool SupportsPrepare { get; }

    string ConnectionHint { get; }

    /// <summary>The <c>client:</c> value of the store's ADO.NET library, the default.</summary>
    string LibraryClient { get; }

    /// <summary>Whether <c>client: lean</c> exists for this kind.</summary>
    bool HasLeanClient { get; }

    /// <summary>What in a parsed connection string the lean client cannot do, never repeating a value; null when it can.</summary>
    string? LeanClientProblem(string connection);

    /// <summary>A problem with the connection string, in words that never repeat its secrets; null when it parses.</summary>
    string? ValidateConnectionString(string connection);

    /// <summary>Host, port and database: what may be printed.</summary>
    string Describe(string connection);

    IRegistryDialect CreateDialect(RegistrySettings settings);
}
