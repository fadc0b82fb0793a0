using System.Globalization;
using Benchmarks.Core.Parsing;
using Benchmarks.Core.Stores;
using Benchmarks.Stores.Analytics.DuckDb;
using Benchmarks.Stores.Analytics.Events;
using Benchmarks.Stores.Analytics.Queries;
using Benchmarks.Stores.Analytics.Synapse;
using Microsoft.Data.SqlClient;

namespace Benchmarks.Stores.Analytics;

/// <summary>Store kind <c>analytics</c>: the training-data query on DuckDB over local Parquet, or on a Synapse SQL pool.</summary>
public sealed partial class AnalyticsDriverFactory : StoreDriverFactory<AnalyticsSettings, AnalyticsOperationSettings>, IReportsStoreMetrics
{
    private static readonly Dictionary<string, AnalyticsEngineKind> Engines = new(StringComparer.Ordinal)
    {
        ["duckdb"] = AnalyticsEngineKind.DuckDb,
        ["synapse"] = AnalyticsEngineKind.Synapse,
    };

    private static readonly Dictionary<string, QueryResultMode> Results = new(StringComparer.Ordinal)
    {
        ["fetch"] = QueryResultMode.Fetch,
        ["count"] = QueryResultMode.Count,
    };

    public override string Kind => "analytics";

    public override string Description => "analytical queries: DuckDB over generated Parquet (embedded), or Azure Synapse SQL pools (SqlClient)";

    /// <summary>The training-data query of the seed, over a window of days.</summary>
    internal const string TrainingData = "training-data";

    /// <summary>A statement of the user's own.</summary>
    internal const string Sql = "sql";

    public override IReadOnlyList<string> Operations { get; } = [TrainingData, Sql];

    public IReadOnlyList<StoreMetric> Metrics => AnalyticsMetrics.All;

    public override AnalyticsSettings ParseSettings(ScenarioSection store)
    {
        var engine = store.GetChoice("engine", AnalyticsEngineKind.DuckDb, Engines);
        var events = EventsFrom(store.GetSection("events"));
        var duck = new DuckDbOptions(
            (int)store.GetInteger("threads", 0, min: 0, max: 1024),
            store.GetString("memoryLimit", "")!);
        if (duck.MemoryLimit.Length > 0 && !MemoryLimitPattern().IsMatch(duck.MemoryLimit))
        {
            store.Fail("memoryLimit", $"'{duck.MemoryLimit}' is not a memory size", "write e.g. 2GB or 512MB");
        }

        // Synapse's keys are read for both engines, so one scenario serves both (empty values from ${VAR:-} are ignored by DuckDB).
        var connection = Blank(store.GetString("connection"));
        var url = Blank(store.GetString("source"));
        var table = Blank(store.GetString("table"));
        var authentication = store.GetString("authentication", "connection-string");
        if (authentication is not ("connection-string" or "entra-id"))
        {
            store.Fail("authentication", $"'{authentication}' is not one of: connection-string, entra-id");
        }

        SynapseSource? source = null;
        var folder = store.GetString("dataset");
        if (engine == AnalyticsEngineKind.Synapse)
        {
            if (connection is null)
            {
                store.Fail("connection", "engine synapse needs a connection string", "connection: \"${SYNAPSE_CONNECTION}\" (Server=tcp:NAME-ondemand.sql.azuresynapse.net,1433;Database=D;...)");
            }
            else
            {
                try
                {
                    _ = new SqlConnectionStringBuilder(connection);
                }
                catch (Exception e) when (e is ArgumentException or KeyNotFoundException or FormatException)
                {
                    // The message names the keyword, not its value.
                    store.Fail("connection", $"not a valid SQL connection string: {e.Message.Split('\n')[0]}", "write Server=tcp:NAME-ondemand.sql.azuresynapse.net,1433;Database=D;...");
                }
            }

            source = (url, table) switch
            {
                ({ } u, null) => new SynapseSource(u, IsTable: false),
                (null, { } t) => new SynapseSource(t, IsTable: true),
                _ => null,
            };
            if (source is null)
            {
                store.Fail(url is null ? "source" : "table", "engine synapse reads either 'source' (a lake URL for serverless OPENROWSET) or 'table' (a dedicated pool table), exactly one",
                    "e.g. source: https://ACCOUNT.dfs.core.windows.net/lake/events/*.parquet");
            }
        }
        else if (connection is not null || url is not null || table is not null)
        {
            store.Fail(connection is not null ? "connection" : url is not null ? "source" : "table", "is for engine synapse; DuckDB reads the generated data set",
                "set engine: synapse, or leave it empty");
        }

        folder ??= Path.Combine(Path.GetTempPath(), "bench-data",
            string.Create(CultureInfo.InvariantCulture, $"events-{events.Rows}-{events.Users}-{events.Days}-{events.FileRows}-{events.Seed}"));
        return new AnalyticsSettings(engine, Path.GetFullPath(folder), events, duck, connection, authentication == "entra-id", source,
            store.GetDuration("connectTimeout", TimeSpan.FromSeconds(15), min: TimeSpan.FromSeconds(1)),
            store.GetDuration("commandTimeout", TimeSpan.FromMinutes(10), min: TimeSpan.FromSeconds(1)));
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    [System.Text.RegularExpressions.GeneratedRegex(@"^\s*\d+(\.\d+)?\s*(B|KB|KiB|MB|MiB|GB|GiB|TB|TiB)\s*$", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex MemoryLimitPattern();

    /// <summary>The events data set: rows, users, days, purchase share, rows per file, anchor and its own seed.</summary>
    private static EventsDataSet EventsFrom(ScenarioSection? section)
    {
        var rows = section?.GetInteger("rows", 1_000_000, min: 1) ?? 1_000_000;
        var users = section?.GetInteger("users", Math.Max(1, rows / 100), min: 1) ?? 10_000;
        var days = (int)(section?.GetInteger("days", 90, min: 1, max: 36_500) ?? 90);
        var share = section?.GetNumber("purchaseShare", 0.03, min: 0, max: 0.7) ?? 0.03;
        var fileRows = section?.GetInteger("fileRows", 1_000_000, min: 1000) ?? 1_000_000;
        var seed = (ulong)(section?.GetInteger("seed", 42, min: 0) ?? 42);
        var anchor = EventsDataSet.DefaultAnchor;
        if (section?.GetString("anchor") is { } text && !DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out anchor))
        {
            section.Fail("anchor", $"'{text}' is not a date and time", "write e.g. 2026-01-01T00:00:00");
        }

        if (section is not null && users > rows)
        {
            section.Fail("users", $"{users} users need at least as many rows ({rows})", "lower users or raise rows");
        }

        section?.Complete();
        return new EventsDataSet(rows, users, days, share, fileRows, DateTime.SpecifyKind(anchor, DateTimeKind.Unspecified), seed);
    }

    public override string RedactTarget(AnalyticsSettings s)
    {
        return s.Engine == AnalyticsEngineKind.DuckDb ? $"embedded DuckDB over {s.DataFolder}" : SynapseEngine.Describe(s.Connection ?? "");
    }

    public override AnalyticsOperationSettings? ParseOperation(string operation, ScenarioSection entry)
    {
        var window = (int)(operation == TrainingData ? entry.GetInteger("windowDays", 30, min: 1, max: 36_500) : 30);
        var statement = operation == Sql ? entry.GetString("statement", required: true) : null;
        var result = entry.GetChoice("result", QueryResultMode.Fetch, Results);
        return new AnalyticsOperationSettings(window, result, statement);
    }

    public override IStoreDriver Create(AnalyticsSettings s)
    {
        IAnalyticsEngine engine = s.Engine == AnalyticsEngineKind.DuckDb ? new DuckDbEngine(s) : new SynapseEngine(s);
        return new AnalyticsDriver(s, engine);
    }
}
