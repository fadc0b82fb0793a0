namespace Benchmarks.Core.Health;

/// <summary>
/// Limits on the load generator itself: past them the run is reported invalid, because the numbers
/// would describe the generator rather than the store. The lag of starting operations adds to every
/// corrected latency, so it must stay small in absolute terms and next to the measured p99.
/// </summary>
public sealed record GeneratorLimits(TimeSpan MaxSchedulingLagP99, double MaxLagShareOfP99, TimeSpan MaxThreadPoolDelay)
{
    public static readonly GeneratorLimits Default = new(TimeSpan.FromMilliseconds(1), 0.25, TimeSpan.FromSeconds(1));
}
