using System.Globalization;
using System.Text;

namespace Benchmarks.Core.Workload;

public enum ValueKind
{
    FeatureVector,
    JsonDocument,
    Bytes,
}

public enum VectorEncoding
{
    /// <summary>Little-endian float32, what a feature cache stores for a model to read without parsing.</summary>
    Float32,

    /// <summary>A JSON array of numbers, for stores and clients that keep documents.</summary>
    Json,
}

public sealed record ValueDefinition(ValueKind Kind, int Dimensions = 128, int Bytes = 1024, VectorEncoding Encoding = VectorEncoding.Float32)
{
    public override string ToString() => Kind switch
    {
        ValueKind.FeatureVector => string.Create(CultureInfo.InvariantCulture, $"feature-vector({Dimensions} dims, {Encoding.ToString().ToLowerInvariant()})"),
        ValueKind.JsonDocument => string.Create(CultureInfo.InvariantCulture, $"json-document(~{Bytes} B)"),
        _ => string.Create(CultureInfo.InvariantCulture, $"bytes({Bytes} B)"),
    };
}

/// <summary>
/// Values to write. A pool of distinct values is generated once from the seed, so a write costs a
/// lookup rather than a serialisation on the hot path, and the data is the same on every run.
/// </summary>
public sealed class ValueGenerator
{
    private const int PoolSize = 256;
    private readonly byte[][] _pool;

    public ValueGenerator(ValueDefinition definition, ulong seed)
    {
        Definition = definition;
        _pool = new byte[PoolSize][];
        for (var i = 0; i < PoolSize; i++)
        {
            var random = new OperationRandom(seed ^ 0x5EED_0F_7A1_0E5UL, i);
            _pool[i] = definition.Kind switch
            {
                ValueKind.FeatureVector => FeatureVector(definition, ref random),
                ValueKind.JsonDocument => JsonDocument(definition.Bytes, i, ref random),
                _ => RandomBytes(definition.Bytes, ref random),
            };
        }
    }

    public ValueDefinition Definition { get; }

    /// <summary>Size in bytes of one encoded value (the first of the pool; JSON sizes vary by a few bytes).</summary>
    public int TypicalSize => _pool[0].Length;

    public byte[] Next(ref OperationRandom random) => _pool[random.NextLong(PoolSize)];

    private static byte[] FeatureVector(ValueDefinition d, ref OperationRandom random)
    {
        var values = new float[d.Dimensions];
        for (var i = 0; i < values.Length; i++)
        {
            // Roughly unit-normal components, like an embedding.
            values[i] = (float)((random.NextDouble() + random.NextDouble() + random.NextDouble() - 1.5) * 2.0);
        }

        if (d.Encoding == VectorEncoding.Float32)
        {
            var bytes = new byte[values.Length * sizeof(float)];
            for (var i = 0; i < values.Length; i++)
            {
                BitConverter.TryWriteBytes(bytes.AsSpan(i * sizeof(float)), values[i]);
            }

            return bytes;
        }

        var sb = new StringBuilder("[");
        for (var i = 0; i < values.Length; i++)
        {
            sb.Append(i == 0 ? "" : ",").Append(values[i].ToString("R", CultureInfo.InvariantCulture));
        }

        return Encoding.UTF8.GetBytes(sb.Append(']').ToString());
    }

    private static byte[] JsonDocument(int targetBytes, int index, ref OperationRandom random)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{{\"id\":{index},\"updatedAt\":\"2026-01-01T00:00:00Z\",\"fields\":{{");
        var field = 0;
        while (sb.Length < targetBytes - 24)
        {
            var word = new char[8];
            for (var i = 0; i < word.Length; i++)
            {
                word[i] = (char)('a' + random.NextLong(26));
            }

            sb.Append(CultureInfo.InvariantCulture, $"{(field == 0 ? "" : ",")}\"f{field}\":\"{new string(word)}\"");
            field++;
        }

        return Encoding.UTF8.GetBytes(sb.Append("}}").ToString());
    }

    private static byte[] RandomBytes(int size, ref OperationRandom random)
    {
        var bytes = new byte[size];
        for (var i = 0; i < size; i++)
        {
            bytes[i] = (byte)random.NextUInt64();
        }

        return bytes;
    }
}
