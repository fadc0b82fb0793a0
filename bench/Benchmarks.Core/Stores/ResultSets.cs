using System.Data.Common;

namespace Benchmarks.Core.Stores;

/// <summary>How the ADO.NET drivers consume a result: every value of every row, as an application would.</summary>
public static class ResultSets
{
    /// <summary>Reads every value of every row of every result set; returns the row count.</summary>
    public static async Task<long> ReadAllAsync(DbDataReader reader, CancellationToken cancellationToken)
    {
        long rows = 0;
        do
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    _ = reader.GetValue(i);
                }

                rows++;
            }
        }
        while (await reader.NextResultAsync(cancellationToken));

        return rows;
    }
}
