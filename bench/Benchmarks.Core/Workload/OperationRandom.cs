namespace Benchmarks.Core.Workload;

/// <summary>
/// SplitMix64 seeded from (scenario seed, operation sequence number). Every operation draws its
/// choices from its own stream, so a run is deterministic under a seed whatever thread runs what,
/// and no generator state is shared between threads on the hot path.
/// </summary>
public struct OperationRandom
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL;
    private ulong _state;

    public OperationRandom(ulong seed, long sequence)
    {
        _state = seed ^ unchecked((ulong)sequence * Golden);
        _ = NextUInt64();
    }

    public ulong NextUInt64()
    {
        var z = _state += Golden;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, n) without modulo bias worth speaking of (Lemire's multiply-shift).</summary>
    public long NextLong(long n) => (long)(((UInt128)NextUInt64() * (ulong)n) >> 64);
}
