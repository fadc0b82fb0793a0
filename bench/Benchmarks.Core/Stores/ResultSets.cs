using System.Buffers;
using System.Data.Common;
using System.Runtime.CompilerServices;

namespace Benchmarks.Core.Stores;

/// <summary>How the ADO.NET drivers consume a result: every value of every row, as an application would.</summary>
public static class ResultSets
{
    /// <summary>Typed getters decode without boxing; other types go through GetValue.</summary>
    private static readonly Dictionary<Type, Action<DbDataReader, int>> Typed = new()
    {
        [typeof(long)] = (r, i) => _ = r.GetInt64(i),
        [typeof(int)] = (r, i) => _ = r.GetInt32(i),
        [typeof(Guid)] = (r, i) => _ = r.GetGuid(i),
        [typeof(DateTime)] = (r, i) => _ = r.GetDateTime(i),
        [typeof(double)] = (r, i) => _ = r.GetDouble(i),
        [typeof(bool)] = (r, i) => _ = r.GetBoolean(i),
    };

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
            // The column types from a pool: a lookup reads one row, an array per result set would be most of what the harness allocates for it.
            var columns = reader.FieldCount;
            var types = ArrayPool<Type>.Shared.Rent(Math.Max(1, columns));
            try
            {
                for (var i = 0; i < columns; i++)
                {
                    types[i] = reader.GetFieldType(i);
                }

                while (await reader.ReadAsync(cancellationToken))
                {
                    for (var i = 0; i < columns; i++)
                    {
                        Consume(reader, i, types[i]);
                    }

                    rows++;
                }
            }
            finally
            {
                ArrayPool<Type>.Shared.Return(types);
            }
        }
        while (await reader.NextResultAsync(cancellationToken));

        return rows;
    }

    private static void Consume(DbDataReader reader, int i, Type type)
    {
        if (reader.IsDBNull(i))
        {
            return;
        }

        if (type == typeof(string))
        {
            _ = reader.GetString(i);
        }
        else if (Typed.TryGetValue(type, out var getter))
        {
            getter(reader, i);
        }
        else
        {
            _ = reader.GetValue(i);
        }
    }
}
