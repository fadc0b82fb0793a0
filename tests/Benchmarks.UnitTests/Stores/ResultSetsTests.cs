using System.Collections;
using System.Data;
using System.Data.Common;
using Benchmarks.Core.Stores;

namespace Benchmarks.UnitTests.Stores;

/// <summary>How the relational drivers consume a result: every row of every result set, every value decoded.</summary>
public sealed class ResultSetsTests
{
    [Fact]
    public async Task Every_value_of_every_row_of_every_result_set_is_read_once_and_the_rows_are_counted()
    {
        var models = new DataTable();
        models.Columns.Add("model_id", typeof(Guid));
        models.Columns.Add("model_name", typeof(string));
        models.Columns.Add("created_at", typeof(DateTime));
        models.Columns.Add("downloads", typeof(long));
        models.Columns.Add("score", typeof(double));
        models.Columns.Add("public", typeof(bool));
        models.Columns.Add("owner", typeof(string));
        models.Columns.Add("weights", typeof(byte[]));
        models.Rows.Add(Guid.NewGuid(), "model-1", DateTime.UtcNow, 3L, 0.5, true, DBNull.Value, new byte[] { 1, 2 });
        models.Rows.Add(Guid.NewGuid(), "model-2", DateTime.UtcNow, 4L, 0.25, false, "team-a", DBNull.Value);
        var counts = new DataTable();
        counts.Columns.Add("count", typeof(int));
        counts.Rows.Add(2);
        await using var reader = new ReadsRecorded(new DataTableReader([models, counts]));

        var rows = await ResultSets.ReadAllAsync(reader, CancellationToken.None);

        Assert.Equal(3, rows);
        var expected = new[] { (0, 0, 0), (0, 0, 1), (0, 0, 2), (0, 0, 3), (0, 0, 4), (0, 0, 5), (0, 0, 7),
            (0, 1, 0), (0, 1, 1), (0, 1, 2), (0, 1, 3), (0, 1, 4), (0, 1, 5), (0, 1, 6), (1, 0, 0) };
        Assert.Equal(expected, reader.Reads);
    }

    /// <summary>A reader that writes down each value fetched from it, as (result set, row, column).</summary>
    private sealed class ReadsRecorded(DbDataReader inner) : DbDataReader
    {
        private int _resultSet;
        private int _row = -1;

        public List<(int ResultSet, int Row, int Column)> Reads { get; } = [];

        private T Read<T>(int ordinal, T value)
        {
            Reads.Add((_resultSet, _row, ordinal));
            return value;
        }

        public override bool Read()
        {
            var more = inner.Read();
            _row += more ? 1 : 0;
            return more;
        }

        public override bool NextResult()
        {
            (_resultSet, _row) = (_resultSet + 1, -1);
            return inner.NextResult();
        }

        public override bool GetBoolean(int ordinal) => Read(ordinal, inner.GetBoolean(ordinal));
        public override byte GetByte(int ordinal) => Read(ordinal, inner.GetByte(ordinal));
        public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length) =>
            Read(ordinal, inner.GetBytes(ordinal, dataOffset, buffer, bufferOffset, length));
        public override char GetChar(int ordinal) => Read(ordinal, inner.GetChar(ordinal));
        public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length) =>
            Read(ordinal, inner.GetChars(ordinal, dataOffset, buffer, bufferOffset, length));
        public override DateTime GetDateTime(int ordinal) => Read(ordinal, inner.GetDateTime(ordinal));
        public override decimal GetDecimal(int ordinal) => Read(ordinal, inner.GetDecimal(ordinal));
        public override double GetDouble(int ordinal) => Read(ordinal, inner.GetDouble(ordinal));
        public override float GetFloat(int ordinal) => Read(ordinal, inner.GetFloat(ordinal));
        public override Guid GetGuid(int ordinal) => Read(ordinal, inner.GetGuid(ordinal));
        public override short GetInt16(int ordinal) => Read(ordinal, inner.GetInt16(ordinal));
        public override int GetInt32(int ordinal) => Read(ordinal, inner.GetInt32(ordinal));
        public override long GetInt64(int ordinal) => Read(ordinal, inner.GetInt64(ordinal));
        public override string GetString(int ordinal) => Read(ordinal, inner.GetString(ordinal));
        public override object GetValue(int ordinal) => Read(ordinal, inner.GetValue(ordinal));
        public override int GetValues(object[] values) => inner.GetValues(values);
        public override bool IsDBNull(int ordinal) => inner.IsDBNull(ordinal);
        public override string GetDataTypeName(int ordinal) => inner.GetDataTypeName(ordinal);
        public override Type GetFieldType(int ordinal) => inner.GetFieldType(ordinal);
        public override string GetName(int ordinal) => inner.GetName(ordinal);
        public override int GetOrdinal(string name) => inner.GetOrdinal(name);
        public override int FieldCount => inner.FieldCount;
        public override object this[int ordinal] => GetValue(ordinal);
        public override object this[string name] => GetValue(GetOrdinal(name));
        public override int RecordsAffected => inner.RecordsAffected;
        public override bool HasRows => inner.HasRows;
        public override bool IsClosed => inner.IsClosed;
        public override int Depth => inner.Depth;
        public override IEnumerator GetEnumerator() => ((IEnumerable)inner).GetEnumerator();
    }
}
