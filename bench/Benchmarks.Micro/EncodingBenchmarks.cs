using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using BenchmarkDotNet.Attributes;
using MemoryPack;

namespace Benchmarks.Micro;

/// <summary>
/// What a feature vector costs the client to encode and decode before it reaches the wire: the
/// choices a feature cache has. Raw float32 bytes are the floor; JSON is what document stores take.
/// </summary>
[MemoryDiagnoser]
public class EncodingBenchmarks
{
    private float[] _vector = [];
    private byte[] _json = [];
    private byte[] _memoryPack = [];
    private byte[] _raw = [];

    [Params(128, 512, 2048)]
    public int Dims { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _vector = [.. Enumerable.Range(0, Dims).Select(_ => (float)((random.NextDouble() * 2) - 1))];
        _json = JsonSerializer.SerializeToUtf8Bytes(_vector, VectorJson.Default.SingleArray);
        _memoryPack = MemoryPackSerializer.Serialize(_vector);
        _raw = MemoryMarshal.AsBytes(_vector.AsSpan()).ToArray();
    }

    [Benchmark(Baseline = true, Description = "raw float32 bytes: encode")]
    public byte[] RawEncode() => MemoryMarshal.AsBytes(_vector.AsSpan()).ToArray();

    [Benchmark(Description = "raw float32 bytes: decode")]
    public float[] RawDecode() => MemoryMarshal.Cast<byte, float>(_raw).ToArray();

    [Benchmark(Description = "System.Text.Json (source-generated): encode")]
    public byte[] JsonEncode() => JsonSerializer.SerializeToUtf8Bytes(_vector, VectorJson.Default.SingleArray);

    [Benchmark(Description = "System.Text.Json (source-generated): decode")]
    public float[]? JsonDecode() => JsonSerializer.Deserialize(_json, VectorJson.Default.SingleArray);

    [Benchmark(Description = "MemoryPack: encode")]
    public byte[] MemoryPackEncode() => MemoryPackSerializer.Serialize(_vector);

    [Benchmark(Description = "MemoryPack: decode")]
    public float[]? MemoryPackDecode() => MemoryPackSerializer.Deserialize<float[]>(_memoryPack);
}

[JsonSerializable(typeof(float[]))]
internal sealed partial class VectorJson : JsonSerializerContext;
