using System.Globalization;
using DuckDB.NET.Data;

namespace Benchmarks.Stores.Analytics.DuckDb;

/// <summary>The engine's resources: worker threads (0: DuckDB's default, one per core) and a memory limit ("" : DuckDB's default, 80% of RAM).</summary>
public sealed record DuckDbOptions(int Threads, string MemoryLimit)
{
    public static readonly DuckDbOptions Default = new(0, "");
}

/// <summary>
/// Opens an in-memory DuckDB that never reaches the network: extension auto-install and auto-load
/// are off before anything else runs (Parquet and JSON are built into the library).
/// </summary>
public static class DuckDbDatabase
{
    public static async Task<DuckDBConnection> OpenAsync(DuckDbOptions options, CancellationToken cancellationToken)
    {
        var connection = new DuckDBConnection("DataSource=:memory:");
        try
        {
            await connection.OpenAsync(cancellationToken);
            var settings = new List<string> { "SET autoinstall_known_extensions = false", "SET autoload_known_extensions = false" };
            if (options.Threads > 0)
            {
                settings.Add(string.Create(CultureInfo.InvariantCulture, $"SET threads = {options.Threads}"));
            }

            if (options.MemoryLimit.Length > 0)
            {
                settings.Add($"SET memory_limit = '{Quote(options.MemoryLimit)}'");
            }

            foreach (var setting in settings)
            {
                await using var command = connection.CreateCommand();
                command.CommandText = setting;
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Escapes a value for a single-quoted SQL string.</summary>
    public static string Quote(string value) => value.Replace("'", "''", StringComparison.Ordinal);
}
