using System.Data.Common;
using System.Runtime.CompilerServices;

namespace Benchmarks.Core.Stores;

/// <summary>How the ADO.NET drivers consume a result: every value of every row, as an application would.</summary>
public static class ResultSets
{
    /// <summary>
    /// Reads every value of every row of every result set; returns the row count. Each value is decoded
    /// by its typed getter, text into a string as an application reads it: Npgsql's <c>GetChars</c>, which
    /// would spare those strings, took 1.7 times as long as <c>GetString</c> per row (a column stream and a text
    /// reader per value; docs/performance.md), and decodes a <c>jsonb</c> value into a string of its own anyway.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public static async ValueTask<long> ReadAllAsync(DbDataReader reader, CancellationToken cancellationToken)
    {
        long rows = 0;
        do
        {
            var columns = reader.FieldCount;
            while (await reader.ReadAsync(cancellationToken))
            {
                for (var i = 0; i < columns; i++)
                {
                    Consume(reader, i);
                }

                rows++;
            }
        }
        while (await reader.NextResultAsync(cancellationToken));

        return rows;
    }

    /// <summary>
    /// One value by its column's typed getter (no boxing), anything else through <c>GetValue</c>. The type is asked for
    /// each value and compared in a chain: a lookup reads one row, for which a table of getters by type and a pooled array
    /// of the columns' types cost 0.3–0.4 µs, a sixth of the harness's own CPU per lookup (docs/performance.md).
    /// </summary>
    private static void Consume(DbDataReader reader, int i)
    {
        if (reader.IsDBNull(i))
        {
            return;
        }

        var type = reader.GetFieldType(i);
        if (type == typeof(string))
        {
            _ = reader.GetString(i);
        }
        else if (type == typeof(long))
        {
            _ = reader.GetInt64(i);
        }
        else if (type == typeof(int))
        {
            _ = reader.GetInt32(i);
        }
        else if (type == typeof(Guid))
        {
            _ = reader.GetGuid(i);
        }
        else if (type == typeof(DateTime))
        {
            _ = reader.GetDateTime(i);
        }
        else if (type == typeof(double))
        {
            _ = reader.GetDouble(i);
        }
        else if (type == typeof(bool))
        {
            _ = reader.GetBoolean(i);
        }
        else
        {
            _ = reader.GetValue(i);
        }
    }
}
