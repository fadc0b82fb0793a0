using System.Globalization;

namespace Benchmarks.Core.Workload;

/// <summary>What a store operation needs to decide its arguments: keys and values, deterministic under the seed.</summary>
public sealed class WorkloadContext
{
    public WorkloadContext(ulong seed, string keyPrefix, IKeyDistribution distribution, ValueGenerator values)
    {
        Seed = seed;
        KeyPrefix = keyPrefix;
        Distribution = distribution;
        Values = values;
    }

    public ulong Seed { get; }

    public string KeyPrefix { get; }

    public IKeyDistribution Distribution { get; }

    public ValueGenerator Values { get; }

    public string Key(long index) => string.Create(CultureInfo.InvariantCulture, $"{KeyPrefix}{index}");

    public string NextKey(ref OperationRandom random, long sequence) => Key(Distribution.Next(ref random, sequence));
}
