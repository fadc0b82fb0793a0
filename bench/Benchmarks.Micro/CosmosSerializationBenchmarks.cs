using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Benchmarks.Stores.Cosmos;
using Benchmarks.Stores.Cosmos.Documents;
using Microsoft.Azure.Cosmos;

namespace Benchmarks.Micro;

/// <summary>
/// What the client pays to turn a feature document (128 or 512 floats) into a request body and back,
/// with the Cosmos SDK's serializer choices: its default (Newtonsoft.Json, which the SDK's internal
/// default serializer wraps with default settings) and System.Text.Json
/// (<c>UseSystemTextJsonSerializerWithOptions</c>, which the harness uses).
/// </summary>
[MemoryDiagnoser]
public class CosmosSerializationBenchmarks
{
    private readonly Newtonsoft.Json.JsonSerializer _newtonsoft = Newtonsoft.Json.JsonSerializer.Create();
    // The SDK's System.Text.Json serializer is internal; the options build it, as the harness's client does.
    private readonly CosmosSerializer _systemTextJson = new CosmosClientOptions { UseSystemTextJsonSerializerWithOptions = new JsonSerializerOptions(JsonSerializerDefaults.Web) }.Serializer
        ?? throw new InvalidOperationException("the SDK did not expose its System.Text.Json serializer");
    private CosmosDocument _document = null!;
    private byte[] _body = [];

    [Params(128, 512)]
    public int Dims { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _document = new CosmosDataSet(42, "user-", DocumentKind.Feature, Dims, PartitionStrategy.Single, 16).Document(7);
        using var stream = _systemTextJson.ToStream(_document);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        _body = copy.ToArray();
    }

    [Benchmark(Baseline = true, Description = "SDK default (Newtonsoft.Json): encode")]
    public long NewtonsoftEncode()
    {
        using var stream = new MemoryStream();
        using (var writer = new StreamWriter(stream, leaveOpen: true))
        {
            _newtonsoft.Serialize(writer, _document);
        }

        return stream.Length;
    }

    [Benchmark(Description = "SDK default (Newtonsoft.Json): decode")]
    public CosmosDocument? NewtonsoftDecode()
    {
        using var reader = new StreamReader(new MemoryStream(_body));
        using var json = new Newtonsoft.Json.JsonTextReader(reader);
        return _newtonsoft.Deserialize<CosmosDocument>(json);
    }

    [Benchmark(Description = "System.Text.Json (UseSystemTextJsonSerializerWithOptions): encode")]
    public long SystemTextJsonEncode()
    {
        using var stream = _systemTextJson.ToStream(_document);
        return stream.Length;
    }

    [Benchmark(Description = "System.Text.Json (UseSystemTextJsonSerializerWithOptions): decode")]
    public CosmosDocument SystemTextJsonDecode() => _systemTextJson.FromStream<CosmosDocument>(new MemoryStream(_body));
}
