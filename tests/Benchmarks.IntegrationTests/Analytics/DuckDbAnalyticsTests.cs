using System.Globalization;
using Benchmarks.Core.Stores;
using Benchmarks.Stores.Analytics;
using Benchmarks.Stores.Analytics.DuckDb;
using Benchmarks.Stores.Analytics.Events;
using Benchmarks.Stores.Analytics.Queries;
using DuckDB.NET.Data;

namespace Benchmarks.IntegrationTests.Analytics;

/// <summary>The analytics store on the real DuckDB engine: the generator, the query's arithmetic, and whole runs.</summary>
public sealed class DuckDbAnalyticsTests : IDisposable
{
    private static readonly DateTime Anchor = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);
    private readonly string _directory = Directory.CreateTempSubdirectory("bench-it-duck-").FullName;
    private readonly Runs _runs = new(new StoreCatalog([new AnalyticsDriverFactory()]));

    public void Dispose()
    {
        _runs.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private static async Task<List<object?[]>> QueryAsync(DuckDBConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var rows = new List<object?[]>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    private static async Task<DuckDBConnection> OverAsync(string folder)
    {
        var connection = await DuckDbDatabase.OpenAsync(DuckDbOptions.Default, TestContext.Current.CancellationToken);
        await QueryAsync(connection, $"CREATE VIEW events AS SELECT * FROM read_parquet('{Path.Combine(folder, "*.parquet")}')");
        return connection;
    }

    [Fact]
    public async Task The_generator_writes_the_rows_users_dates_and_purchase_share_asked_for_and_the_same_data_twice()
    {
        var data = new EventsDataSet(200_000, 3_000, 45, 0.05, 60_000, Anchor, 7);
        var folder = Path.Combine(_directory, "a");
        await EventsGenerator.GenerateAsync(data, folder, DuckDbOptions.Default, null, TestContext.Current.CancellationToken);

        Assert.Equal(4, Directory.GetFiles(folder, "events-*.parquet").Length);
        Assert.True(data.IsIn(folder));
        await using var connection = await OverAsync(folder);
        var stats = (await QueryAsync(connection, """
            SELECT count(*), count(DISTINCT user_id), min(user_id), max(user_id), min(event_time), max(event_time),
                   avg(CASE WHEN event_type = 'purchase' THEN 1.0 ELSE 0 END), min(duration), avg(duration),
                   count(DISTINCT event_type), avg(target), sum(hash(user_id, event_type, duration, event_time, target))
            FROM events
            """))[0];
        Assert.Equal(200_000L, Convert.ToInt64(stats[0], CultureInfo.InvariantCulture));
        Assert.Equal(3_000L, Convert.ToInt64(stats[1], CultureInfo.InvariantCulture));
        Assert.Equal((0L, 2_999L), (Convert.ToInt64(stats[2], CultureInfo.InvariantCulture), Convert.ToInt64(stats[3], CultureInfo.InvariantCulture)));
        Assert.True((DateTime)stats[4]! > Anchor.AddDays(-45), $"{stats[4]}");
        Assert.True((DateTime)stats[5]! <= Anchor && (DateTime)stats[5]! > Anchor.AddDays(-1), $"{stats[5]}");
        // 200k draws of a 5% share: the standard error is 0.05 points.
        Assert.InRange(Convert.ToDouble(stats[6], CultureInfo.InvariantCulture), 0.048, 0.052);
        Assert.True(Convert.ToDouble(stats[7], CultureInfo.InvariantCulture) >= 0);
        Assert.InRange(Convert.ToDouble(stats[8], CultureInfo.InvariantCulture), 29, 31);
        Assert.Equal(4L, Convert.ToInt64(stats[9], CultureInfo.InvariantCulture));
        // Labels: every purchase plus about 2% of the rest.
        Assert.InRange(Convert.ToDouble(stats[10], CultureInfo.InvariantCulture), 0.05 + (0.95 * 0.018), 0.05 + (0.95 * 0.022));

        // Same description, same data; another seed, other data.
        var again = Path.Combine(_directory, "b");
        await EventsGenerator.GenerateAsync(data, again, DuckDbOptions.Default, null, TestContext.Current.CancellationToken);
        await using var second = await OverAsync(again);
        const string Fingerprint = "SELECT sum(hash(user_id, event_type, duration, event_time, target)) FROM events";
        Assert.Equal((await QueryAsync(connection, Fingerprint))[0][0], (await QueryAsync(second, Fingerprint))[0][0]);
        var other = Path.Combine(_directory, "c");
        await EventsGenerator.GenerateAsync(data with { Seed = 8 }, other, DuckDbOptions.Default, null, TestContext.Current.CancellationToken);
        await using var third = await OverAsync(other);
        Assert.NotEqual((await QueryAsync(connection, Fingerprint))[0][0], (await QueryAsync(third, Fingerprint))[0][0]);
    }

    [Fact]
    public async Task The_training_data_query_gives_the_hand_computed_rows()
    {
        var folder = Path.Combine(_directory, "hand");
        Directory.CreateDirectory(folder);
        await using (var writer = await DuckDbDatabase.OpenAsync(DuckDbOptions.Default, TestContext.Current.CancellationToken))
        {
            // user 1: one event before the window, three active days in it; user 2: one event exactly on the window's
            // lower bound (excluded: the window is open there), one the hour before the anchor and one on it (included).
            await QueryAsync(writer, $"""
                COPY (SELECT * FROM (VALUES
                    (1::BIGINT, 'view',     10.0::DOUBLE, TIMESTAMP '2025-11-20 10:00:00', 1),
                    (1::BIGINT, 'view',     10.0::DOUBLE, TIMESTAMP '2025-12-05 09:00:00', 0),
                    (1::BIGINT, 'purchase', 20.0::DOUBLE, TIMESTAMP '2025-12-05 18:00:00', 1),
                    (1::BIGINT, 'click',     4.0::DOUBLE, TIMESTAMP '2025-12-07 08:00:00', 0),
                    (1::BIGINT, 'view',      6.0::DOUBLE, TIMESTAMP '2025-12-09 12:00:00', 0),
                    (1::BIGINT, 'view',      8.0::DOUBLE, TIMESTAMP '2025-12-09 13:00:00', 0),
                    (2::BIGINT, 'view',      1.0::DOUBLE, TIMESTAMP '2025-12-02 00:00:00', 1),
                    (2::BIGINT, 'purchase',  5.0::DOUBLE, TIMESTAMP '2025-12-31 23:00:00', 0),
                    (2::BIGINT, 'view',      3.0::DOUBLE, TIMESTAMP '2026-01-01 00:00:00', 1)
                ) AS t(user_id, event_type, duration, event_time, target)) TO '{Path.Combine(folder, "events-00000.parquet")}' (FORMAT PARQUET)
                """);
        }

        await using var connection = await OverAsync(folder);
        var rows = await QueryAsync(connection, TrainingDataQuery.DuckDb(Anchor, 30) + " ORDER BY user_id, event_date");

        // (user, day, events, mean duration, sample std of duration, purchase rate, previous active day's label)
        Assert.Equal(3, rows.Count);
        AssertRow(rows[0], 1, new DateOnly(2025, 12, 7), 1, 4.0, null, 0.0, 1);
        AssertRow(rows[1], 1, new DateOnly(2025, 12, 9), 2, 7.0, Math.Sqrt(2), 0.0, 0);
        AssertRow(rows[2], 2, new DateOnly(2026, 1, 1), 1, 3.0, null, 0.0, 0);

        // The first active day of each user has no previous label and is left out; its features feed the next day's label:
        // user 1's 5 December (mean 15, std √50, purchase rate ½) is in the daily aggregate.
        var daily = await QueryAsync(connection, TrainingDataQuery.DuckDb(Anchor, 30).Replace("SELECT user_id, event_date, event_count, avg_duration, duration_std, purchase_rate, target FROM features WHERE target IS NOT NULL",
            "SELECT event_count, avg_duration, duration_std, purchase_rate, day_target FROM daily WHERE user_id = 1 AND event_date = DATE '2025-12-05'", StringComparison.Ordinal));
        Assert.Equal(2L, Convert.ToInt64(daily[0][0], CultureInfo.InvariantCulture));
        Assert.Equal(15.0, Convert.ToDouble(daily[0][1], CultureInfo.InvariantCulture), 9);
        Assert.Equal(Math.Sqrt(50), Convert.ToDouble(daily[0][2], CultureInfo.InvariantCulture), 9);
        Assert.Equal(0.5, Convert.ToDouble(daily[0][3], CultureInfo.InvariantCulture), 9);
        Assert.Equal(1, Convert.ToInt32(daily[0][4], CultureInfo.InvariantCulture));
    }

    private static void AssertRow(object?[] row, long user, DateOnly day, long events, double mean, double? std, double purchaseRate, int target)
    {
        Assert.Equal(user, Convert.ToInt64(row[0], CultureInfo.InvariantCulture));
        Assert.Equal(day, row[1] is DateOnly d ? d : DateOnly.FromDateTime(Convert.ToDateTime(row[1], CultureInfo.InvariantCulture)));
        Assert.Equal(events, Convert.ToInt64(row[2], CultureInfo.InvariantCulture));
        Assert.Equal(mean, Convert.ToDouble(row[3], CultureInfo.InvariantCulture), 9);
        if (std is null)
        {
            Assert.Null(row[4]);
        }
        else
        {
            Assert.Equal(std.Value, Convert.ToDouble(row[4], CultureInfo.InvariantCulture), 9);
        }

        Assert.Equal(purchaseRate, Convert.ToDouble(row[5], CultureInfo.InvariantCulture), 9);
        Assert.Equal(target, Convert.ToInt32(row[6], CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task The_engine_never_reaches_for_the_network_and_takes_its_thread_and_memory_settings()
    {
        await using var connection = await DuckDbDatabase.OpenAsync(new DuckDbOptions(1, "256MB"), TestContext.Current.CancellationToken);
        var settings = await QueryAsync(connection, """
            SELECT current_setting('autoinstall_known_extensions'), current_setting('autoload_known_extensions'),
                   current_setting('threads'), current_setting('memory_limit')
            """);
        Assert.Equal(false, settings[0][0]);
        Assert.Equal(false, settings[0][1]);
        Assert.Equal(1L, Convert.ToInt64(settings[0][2], CultureInfo.InvariantCulture));
        Assert.Contains("MiB", Convert.ToString(settings[0][3], CultureInfo.InvariantCulture), StringComparison.Ordinal);
        // An extension that is not built in is refused instead of downloaded.
        await Assert.ThrowsAnyAsync<DuckDBException>(() => QueryAsync(connection, "SELECT * FROM read_xlsx('x.xlsx')"));
        // Only this platform's native library was copied next to the tests.
        Assert.False(Directory.Exists(Path.Combine(AppContext.BaseDirectory, "runtimes", "win-x64")), "every platform's DuckDB was copied");
    }

    [Fact]
    public async Task A_run_generates_the_data_once_and_reports_rows_scanned_and_returned()
    {
        var folder = Path.Combine(_directory, "run");
        string Scenario(string result) => $"""
            name: training
            store: {"{"} kind: analytics, dataset: "{folder}", threads: 2, events: {"{"} rows: 100000, users: 1000, days: 60, fileRows: 50000 {"}"} {"}"}
            workload:
              mix: [ {"{"} op: training-data, windowDays: 30, result: {result} {"}"} ]
            load: {"{"} executor: constant-concurrency, concurrency: 2, duration: 2s, warmup: 500ms {"}"}
            sla: [ "p(95) < 5s", "source_rows_per_s >= 1000", "rows_returned.p(50) > 0", "errors == 0" ]
            """;

        var fetched = await _runs.RunAsync(_runs.Load(Scenario("fetch")), TestContext.Current.CancellationToken);
        var written = File.GetLastWriteTimeUtc(Path.Combine(folder, "events-00000.parquet"));
        var counted = await _runs.RunAsync(_runs.Load(Scenario("count")), TestContext.Current.CancellationToken);

        Assert.Equal(written, File.GetLastWriteTimeUtc(Path.Combine(folder, "events-00000.parquet")));
        foreach (var r in new[] { fetched.Result, counted.Result })
        {
            Assert.True(r.Status == "passed", $"{r.Status}: {string.Join("; ", r.StatusReasons)}");
            var op = r.Operations.Single();
            Assert.True(op.Count > 2, $"{op.Count} queries");
            var scanned = op.Metrics!["source_rows"];
            Assert.Equal(100_000.0 * op.Count, scanned.Total);
            Assert.Equal(op.Count, scanned.Count);
            Assert.InRange(scanned.P50, 99_900, 100_100);
            Assert.Null(op.Metrics["source_rate"].Total);
            Assert.True(op.Metrics["source_rate"].P50 > 0);
            Assert.Equal("duckdb", r.Environment.Server);
        }

        // The same rows whether fetched one by one or counted by the engine.
        await using var connection = await OverAsync(folder);
        var expected = Convert.ToInt64((await QueryAsync(connection, TrainingDataQuery.DuckDb(EventsDataSet.DefaultAnchor, 30, count: true)))[0][0], CultureInfo.InvariantCulture);
        Assert.True(expected > 1000, $"{expected} training rows");
        Assert.Equal(expected, fetched.Result.Operations[0].Metrics!["rows_returned"].Total / fetched.Result.Operations[0].Count);
        Assert.Equal(expected, counted.Result.Operations[0].Metrics!["rows_returned"].Total / counted.Result.Operations[0].Count);
    }

    [Fact]
    public async Task A_broken_statement_is_counted_as_client_errors_with_its_message()
    {
        var scenario = _runs.Load($"""
            name: broken
            store: {"{"} kind: analytics, dataset: "{Path.Combine(_directory, "broken")}", events: {"{"} rows: 10000, users: 100, fileRows: 10000 {"}"} {"}"}
            workload:
              mix: [ {"{"} op: sql, statement: "SELECT no_such_column FROM events" {"}"} ]
            load: {"{"} executor: constant-concurrency, concurrency: 1, duration: 500ms {"}"}
            """);

        var r = (await _runs.RunAsync(scenario, TestContext.Current.CancellationToken)).Result;

        var op = r.Operations.Single();
        Assert.Equal(0, op.Count);
        Assert.True(op.Errors.ByKind["client"] > 0);
        Assert.Contains("no_such_column", op.Errors.FirstMessages!["client"], StringComparison.Ordinal);
    }
}
