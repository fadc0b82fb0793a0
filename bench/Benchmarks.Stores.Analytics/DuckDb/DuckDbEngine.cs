using System.Collections.Concurrent;
using System.Globalization;
using Benchmarks.Core.Stores;
using Benchmarks.Stores.Analytics.Events;
using Benchmarks.Stores.Analytics.Queries;
using DuckDB.NET.Data;

namespace Benchmarks.Stores.Analytics.DuckDb;

/// <summary>
/// DuckDB embedded, over the Parquet files of the events data set (a view <c>events</c>). Each
/// concurrent analyst gets its own connection to the one in-memory database; a query runs on a
/// thread of its own, because DuckDB's calls block for the whole query.
/// </summary>
internal sealed class DuckDbEngine(AnalyticsSettings settings) : IAnalyticsEngine
{
    private readonly ConcurrentBag<DuckDBConnection> _idle = [];
    private DuckDBConnection? _root;

    public string ClientLibrary => "DuckDB.NET";

    public string ClientVersion => typeof(DuckDBConnection).Assembly.GetName().Version?.ToString() ?? "?";

    public double RowsInSource { get; private set; } = double.NaN;

    public async Task<StoreInfo> StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            _root = await DuckDbDatabase.OpenAsync(settings.DuckDb, cancellationToken);
        }
        catch (DuckDBException e)
        {
            throw new StoreUnavailableException($"DuckDB could not start: {e.Message}", e);
        }

        if (settings.Events.IsIn(settings.DataFolder))
        {
            await CreateViewAsync(cancellationToken);
        }

        return new StoreInfo($"embedded DuckDB over {settings.DataFolder}", ClientLibrary, ClientVersion, "duckdb", _root.ServerVersion);
    }

    public async Task PrepareDataAsync(IProgress<long> progress, CancellationToken cancellationToken)
    {
        if (!settings.Events.IsIn(settings.DataFolder))
        {
            await EventsGenerator.GenerateAsync(settings.Events, settings.DataFolder, settings.DuckDb, progress, cancellationToken);
        }

        progress.Report(settings.Events.Rows);
        await CreateViewAsync(cancellationToken);
    }

    private async Task CreateViewAsync(CancellationToken cancellationToken)
    {
        var files = DuckDbDatabase.Quote(Path.Combine(settings.DataFolder, "events-*.parquet"));
        await using (var view = _root!.CreateCommand())
        {
            view.CommandText = $"CREATE OR REPLACE VIEW events AS SELECT * FROM read_parquet('{files}')";
            await view.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var count = _root.CreateCommand();
        count.CommandText = $"SELECT CAST(sum(num_rows) AS BIGINT) FROM parquet_file_metadata('{files}')";
        RowsInSource = Convert.ToDouble(await count.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    public string TrainingData(int windowDays, bool count) => TrainingDataQuery.DuckDb(settings.Events.Anchor, windowDays, count);

    public async Task<long> RunAsync(string statement, bool isCount, CancellationToken cancellationToken)
    {
        var connection = _idle.TryTake(out var idle) ? idle : Duplicate();
        try
        {
            return await Task.Factory.StartNew(() => Run(connection, statement, isCount, cancellationToken), cancellationToken,
                TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
        finally
        {
            _idle.Add(connection);
        }
    }

    /// <summary>Another connection to the same in-memory database (and its view).</summary>
    private DuckDBConnection Duplicate()
    {
        var connection = _root!.Duplicate();
        connection.Open();
        return connection;
    }

    private static long Run(DuckDBConnection connection, string statement, bool isCount, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = statement;
        using var cancel = cancellationToken.Register(command.Cancel);
        if (isCount)
        {
            return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        }

        using var reader = command.ExecuteReader();
        long rows = 0;
        while (reader.Read())
        {
            for (var i = 0; i < reader.FieldCount; i++)
            {
                _ = reader.GetValue(i);
            }

            rows++;
        }

        return rows;
    }

    public ErrorKind Classify(Exception error) => error switch
    {
        OperationCanceledException => ErrorKind.Timeout,
        DuckDBException e when e.Message.Contains("Out of Memory", StringComparison.OrdinalIgnoreCase) => ErrorKind.Server,
        DuckDBException e when e.Message.Contains("Catalog Error", StringComparison.Ordinal) || e.Message.Contains("Parser Error", StringComparison.Ordinal)
            || e.Message.Contains("Binder Error", StringComparison.Ordinal) => ErrorKind.Client,
        DuckDBException => ErrorKind.Server,
        _ => ErrorKind.Other,
    };

    public async ValueTask DisposeAsync()
    {
        while (_idle.TryTake(out var connection))
        {
            await connection.DisposeAsync();
        }

        if (_root is not null)
        {
            await _root.DisposeAsync();
        }
    }
}
