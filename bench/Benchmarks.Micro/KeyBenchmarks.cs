using BenchmarkDotNet.Attributes;
using Benchmarks.Core.Workload;

namespace Benchmarks.Micro;

/// <summary>Choosing and naming a key: paid once per operation on the dispatcher thread.</summary>
[MemoryDiagnoser]
public class KeyBenchmarks
{
    private IKeyDistribution _distribution = null!;
    private WorkloadContext _workload = null!;
    private long _sequence;

    [Params("uniform", "zipfian(0.99)", "hotspot(0.2, 0.8)", "sequential", "latest(0.99)")]
    public string Distribution { get; set; } = "uniform";

    [GlobalSetup]
    public void Setup()
    {
        if (!KeyDistributionDefinition.TryParse(Distribution, out var definition, out var problem))
        {
            throw new InvalidOperationException(problem);
        }

        _distribution = definition.Create(1_000_000);
        _workload = new WorkloadContext(1, "feat:", _distribution, new ValueGenerator(new ValueDefinition(ValueKind.Bytes, Bytes: 16), 1));
    }

    [Benchmark(Description = "key index (1M keys)")]
    public long Sample()
    {
        var random = new OperationRandom(1, ++_sequence);
        return _distribution.Next(ref random, _sequence);
    }

    [Benchmark(Description = "key index + key string")]
    public string SampleAndName()
    {
        var random = new OperationRandom(1, ++_sequence);
        return _workload.NextKey(ref random, _sequence);
    }
}
