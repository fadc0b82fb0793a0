using System.Buffers;
using System.Data.Common;
using System.Runtime.CompilerServices;

namespace Benchmarks.Core.Stores;

/// <summary>How the ADO.NET drivers consume a result: every value of every row, as an application would.</summary>
public static class ResultSets
{
    /// <summary>Text is decoded into this buffer, a chunk at a time: the work of reading it, without a string per value.</summary>
    [ThreadStatic]
    private static char[]? t_text;

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
    /// by its typed getter (text into a reused buffer), so the client does all the work an application's
    /// would, while the harness adds no string or boxed value per column to the garbage collector's load.
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
            var buffer = t_text ??= new char[4096];
            long offset = 0;
            long read;
            while ((read = reader.GetChars(i, offset, buffer, 0, buffer.Length)) > 0)
            {
                offset += read;
            }
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
