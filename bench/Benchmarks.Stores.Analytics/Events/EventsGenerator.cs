using System.Globalization;
using Benchmarks.Stores.Analytics.DuckDb;

namespace Benchmarks.Stores.Analytics.Events;

/// <summary>
/// Writes an <see cref="EventsDataSet"/> with DuckDB's own Parquet writer (COPY ... TO, zstd), one
/// file per <c>fileRows</c> rows. Each value comes from a hash of (row, column) mixed with the seed, so rows are
/// independent of thread scheduling and a file is the same bytes of data every time.
/// </summary>
public static class EventsGenerator
{
    /// <summary>Shares of the other event types; purchases take the data set's own share first.</summary>
    private const double AddToCartShare = 0.08;
    private const double ClickShare = 0.18;

    /// <summary>Labels that are not purchases (a model's positives are never only the obvious ones).</summary>
    private const double OtherPositiveShare = 0.02;

    /// <summary>Durations are exponential with this mean, in seconds.</summary>
    private const double MeanDurationSeconds = 30;

    public static async Task GenerateAsync(EventsDataSet data, string folder, DuckDbOptions options, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        File.Delete(Path.Combine(folder, EventsDataSet.Manifest));
        foreach (var old in Directory.GetFiles(folder, "events-*.parquet"))
        {
            File.Delete(old);
        }

        await using var connection = await DuckDbDatabase.OpenAsync(options, cancellationToken);
        for (var file = 0; file < data.Files; file++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var first = file * data.FileRows;
            var last = Math.Min(data.Rows, first + data.FileRows);
            await using var command = connection.CreateCommand();
            command.CommandText = CopyStatement(data, first, last, Path.Combine(folder, EventsDataSet.FileName(file)));
            await Task.Run(() => command.ExecuteNonQuery(), cancellationToken);
            progress?.Report(last);
        }

        await File.WriteAllTextAsync(Path.Combine(folder, EventsDataSet.Manifest), data.Describe(), cancellationToken);
    }

    /// <summary>The SELECT that makes rows [<paramref name="first"/>, <paramref name="last"/>): visible for tests and for the docs.</summary>
    public static string Select(EventsDataSet data, long first, long last)
    {
        var inv = CultureInfo.InvariantCulture;
        var p = data.PurchaseShare.ToString("R", inv);
        var cart = (data.PurchaseShare + AddToCartShare).ToString("R", inv);
        var click = (data.PurchaseShare + AddToCartShare + ClickShare).ToString("R", inv);
        var span = (data.Days * 86_400_000_000L).ToString(inv);
        // A uniform double in [0, 1) from the top 53 bits of a 64-bit hash. Each (row, column) hashes its own integer:
        // hash(i, seed, column) combines the three hashes so that the columns came out correlated.
        string U(int column) => string.Create(inv, $"((xor(hash(i * 16 + {column}), hash({data.Seed}::UBIGINT)) >> 11) / 9007199254740992.0)");
        return string.Create(inv, $"""
            SELECT
                -- Every user has an event; the rest lean to low ids (power users), as real traffic does.
                CASE WHEN i < {data.Users} THEN i ELSE CAST(floor({data.Users} * pow({U(1)}, 1.6)) AS BIGINT) END AS user_id,
                CASE WHEN {U(2)} < {p} THEN 'purchase' WHEN {U(2)} < {cart} THEN 'add_to_cart' WHEN {U(2)} < {click} THEN 'click' ELSE 'view' END AS event_type,
                round(-ln(1 - {U(3)}) * {MeanDurationSeconds.ToString(inv)}, 3) AS duration,
                TIMESTAMP '{data.AnchorLiteral}' - to_microseconds(CAST(floor({U(4)} * {span}) AS BIGINT)) AS event_time,
                CAST(CASE WHEN {U(2)} < {p} OR {U(5)} < {OtherPositiveShare.ToString(inv)} THEN 1 ELSE 0 END AS INTEGER) AS target
            FROM range({first}, {last}) AS t(i)
            """);
    }

    private static string CopyStatement(EventsDataSet data, long first, long last, string path) =>
        $"COPY ({Select(data, first, last)}) TO '{DuckDbDatabase.Quote(path)}' (FORMAT PARQUET, COMPRESSION ZSTD)";
}
