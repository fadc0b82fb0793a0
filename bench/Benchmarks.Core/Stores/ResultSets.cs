using System.Data.Common;

namespace Benchmarks.Core.Stores;

/// <summary>How the ADO.NET drivers consume a result: every value of every row, as an application would.</summary>
public static class ResultSets
{
    /// <summary>Text is decoded into this buffer, a chunk at a time: the work of reading it, without a string per value.</summary>
    [ThreadStatic]
    private static char[]? t_text;

    /// <summary>
    /// Reads every value of every row of every result set; returns the row count. Each value is decoded
    /// by its typed getter (text into a reused buffer), so the client does all the work an application's
    /// would, while the harness adds no string or boxed value per column to the garbage collector's load.
    /// </summary>
    public static async Task<long> ReadAllAsync(DbDataReader reader, CancellationToken cancellationToken)
    {
        long rows = 0;
        do
        {
            var types = ColumnTypes(reader);
            while (await reader.ReadAsync(cancellationToken))
            {
                for (var i = 0; i < types.Length; i++)
                {
                    Consume(reader, i, types[i]);
                }

                rows++;
            }
        }
        while (await reader.NextResultAsync(cancellationToken));

        return rows;
    }

    private static Type[] ColumnTypes(DbDataReader reader)
    {
        var types = new Type[reader.FieldCount];
        for (var i = 0; i < types.Length; i++)
        {
            types[i] = reader.GetFieldType(i);
        }

        return types;
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
