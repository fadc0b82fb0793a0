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

    /// <summary>
    /// The seed of a scenario's <paramref name="window"/>-th measured window (a capacity step, an inconclusive window
    /// measured again): the first keeps the scenario's seed, each later one draws a stream of its own, so that it does
    /// not replay the first's operations (a registry's second window re-registering the first's ids would fail on
    /// its own writes). Still deterministic under the scenario's seed.
    /// </summary>
    public static ulong WindowSeed(ulong seed, int window) =>
        window == 0 ? seed : new OperationRandom(seed ^ 0xD1B54A32D192ED03UL, window).NextUInt64();

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
