using System.Globalization;

namespace Benchmarks.Stores.Analytics.Queries;

/// <summary>
/// The seed's training-data preparation, written so that it runs: per user and day, the event count,
/// the mean and sample standard deviation of duration, the purchase rate and the day's label
/// (any positive target); then, per user, LAG of that label over the days (the previous active day's
/// label, as the seed's <c>LAG(target, 1) OVER (PARTITION BY user_id ORDER BY event_time)</c>), keeping
/// only days that have one. The window is the <c>windowDays</c> days before a fixed anchor, so
/// repeated runs read the same rows.
/// </summary>
public static class TrainingDataQuery
{
    public const string Columns = "user_id, event_date, event_count, avg_duration, duration_std, purchase_rate, target";

    /// <summary>The final SELECT: every training row, or (count) only how many there are; the engine computes them all either way.</summary>
    private static string Final(bool count) => count ? "SELECT count(*) AS training_rows FROM features WHERE target IS NOT NULL" : $"SELECT {Columns} FROM features WHERE target IS NOT NULL";

    /// <summary>DuckDB over the <c>events</c> view of the Parquet files.</summary>
    public static string DuckDb(DateTime anchor, int windowDays, bool count = false)
    {
        var at = anchor.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        return string.Create(CultureInfo.InvariantCulture, $"""
            WITH daily AS (
                SELECT user_id, CAST(event_time AS DATE) AS event_date, count(*) AS event_count,
                       avg(duration) AS avg_duration, stddev_samp(duration) AS duration_std,
                       sum(CASE WHEN event_type = 'purchase' THEN 1 ELSE 0 END) * 1.0 / count(*) AS purchase_rate,
                       max(target) AS day_target
                FROM events
                WHERE event_time > TIMESTAMP '{at}' - INTERVAL {windowDays} DAY AND event_time <= TIMESTAMP '{at}'
                GROUP BY user_id, CAST(event_time AS DATE)
            ), features AS (
                SELECT user_id, event_date, event_count, avg_duration, duration_std, purchase_rate,
                       lag(day_target, 1) OVER (PARTITION BY user_id ORDER BY event_date) AS target
                FROM daily
            )
            {Final(count)}
            """);
    }

    /// <summary>
    /// T-SQL for a Synapse SQL pool: serverless reads the lake with OPENROWSET over <paramref name="source"/>
    /// (a URL with wildcards), a dedicated pool reads a table. The anchor is the parameter <c>@anchor</c>.
    /// </summary>
    public static string Synapse(SynapseSource source, int windowDays, bool count = false)
    {
        var from = source.IsTable
            ? source.Location
            : $"OPENROWSET(BULK '{source.Location.Replace("'", "''", StringComparison.Ordinal)}', FORMAT = 'PARQUET') AS events";
        return string.Create(CultureInfo.InvariantCulture, $"""
            WITH daily AS (
                SELECT user_id, CAST(event_time AS date) AS event_date, COUNT_BIG(*) AS event_count,
                       AVG(CAST(duration AS float)) AS avg_duration, STDEV(duration) AS duration_std,
                       SUM(CASE WHEN event_type = 'purchase' THEN 1 ELSE 0 END) * 1.0 / COUNT(*) AS purchase_rate,
                       MAX(target) AS day_target
                FROM {from}
                WHERE event_time > DATEADD(day, -{windowDays}, @anchor) AND event_time <= @anchor
                GROUP BY user_id, CAST(event_time AS date)
            ), features AS (
                SELECT user_id, event_date, event_count, avg_duration, duration_std, purchase_rate,
                       LAG(day_target, 1) OVER (PARTITION BY user_id ORDER BY event_date) AS target
                FROM daily
            )
            {Final(count)};
            """);
    }

    /// <summary>
    /// Counts a user's statement's rows instead of fetching them (the engine still computes every one).
    /// T-SQL does not allow a WITH inside a derived table: such a statement must be written as its own count.
    /// </summary>
    public static string CountOf(string query) => $"SELECT count(*) FROM ({query.TrimEnd().TrimEnd(';')}) AS counted_rows";
}

/// <summary>Where Synapse reads events: a lake URL for OPENROWSET (serverless), or a table (dedicated pool).</summary>
public sealed record SynapseSource(string Location, bool IsTable);
