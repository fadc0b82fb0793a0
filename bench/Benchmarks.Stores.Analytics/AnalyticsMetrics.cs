using Benchmarks.Core.Stores;

namespace Benchmarks.Stores.Analytics;

/// <summary>What an analytical query reports besides its latency; declared here once, set by name in <see cref="AnalyticsDriver"/>.</summary>
internal static class AnalyticsMetrics
{
    // Not "rows scanned": the engine's own scan count is not available to this client per query, so the
    // metric is what it is, the size of the data the query reads, counted once from the Parquet metadata.
    public static readonly StoreMetric SourceRows = new("source_rows", "rows", "rows in the data the query reads (counted once at start from the Parquet metadata; an input, not measured per query)");

    public static readonly StoreMetric RowsReturned = new("rows_returned", "rows", "rows the query produced");

    public static readonly StoreMetric SourceRate = new("source_rate", "rows/s", "source_rows per second of the query's own latency (how fast the data set was read through)", Additive: false);

    public static readonly IReadOnlyList<StoreMetric> All = [SourceRows, RowsReturned, SourceRate];
}
