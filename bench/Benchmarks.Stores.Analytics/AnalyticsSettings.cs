using Benchmarks.Stores.Analytics.DuckDb;
using Benchmarks.Stores.Analytics.Events;
using Benchmarks.Stores.Analytics.Queries;

namespace Benchmarks.Stores.Analytics;

public enum AnalyticsEngineKind
{
    DuckDb,
    Synapse,
}

/// <summary>
/// The validated <c>store:</c> section of an analytics scenario. DuckDB reads the generated Parquet
/// files in <see cref="DataFolder"/>; Synapse reads <see cref="Source"/> through <see cref="Connection"/>
/// (which never leaves this record except to open connections).
/// </summary>
public sealed record AnalyticsSettings(
    AnalyticsEngineKind Engine,
    string DataFolder,
    EventsDataSet Events,
    DuckDbOptions DuckDb,
    string? Connection,
    bool EntraId,
    SynapseSource? Source,
    TimeSpan ConnectTimeout,
    TimeSpan CommandTimeout);

/// <summary>How a query's result reaches the client: every row fetched, or only their count.</summary>
public enum QueryResultMode
{
    Fetch,
    Count,
}

/// <summary>Arguments of one mix entry.</summary>
public sealed record AnalyticsOperationSettings(int WindowDays, QueryResultMode Result, string? Statement);
