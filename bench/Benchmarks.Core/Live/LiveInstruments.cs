namespace Benchmarks.Core.Live;

/// <summary>
/// The instruments a run exports live, named once: the exporters (OpenTelemetry, Prometheus), the Grafana
/// dashboard in deploy/grafana and the tests all take the names from here. Every instrument carries the
/// attributes <see cref="Scenario"/> and <see cref="Agent"/>; per-operation ones also <see cref="Operation"/>.
/// </summary>
public static class LiveInstruments
{
    /// <summary>The meter every instrument belongs to (what an OpenTelemetry MeterProvider subscribes to).</summary>
    public const string MeterName = "Benchmarks";

    /// <summary>Latency from the intended start (corrected for coordinated omission), seconds: an explicit-bucket histogram (<see cref="LatencyBuckets"/>).</summary>
    public const string Duration = "bench.operation.duration";

    /// <summary>Failed operations, by <see cref="ErrorType"/> (a store's error kinds: timeout, throttled, connection, …).</summary>
    public const string Errors = "bench.operation.errors";

    /// <summary>The rate the generator is asked to offer, operations per second (an agent's share when scaled out; sum over agents).</summary>
    public const string TargetRate = "bench.target.rate";

    /// <summary>Operations the open-model generator dropped because they were already maxLag late.</summary>
    public const string Dropped = "bench.generator.dropped";

    /// <summary>The generator's scheduling lag of the last second, p99 and max, seconds: one agent's health, not a latency.</summary>
    public const string LagP99 = "bench.generator.lag.p99";

    /// <inheritdoc cref="LagP99"/>
    public const string LagMax = "bench.generator.lag.max";

    /// <summary>A store's own additive measure summed (Cosmos DB request units, rows returned), by <see cref="Metric"/>.</summary>
    public const string StoreUsage = "bench.store.usage";

    public const string Scenario = "scenario";
    public const string Operation = "operation";
    public const string Agent = "agent";
    public const string ErrorType = "error.type";
    public const string Metric = "metric";

    /// <summary>Buckets per doubling of <see cref="LatencyBuckets"/>: each bucket is 2^(1/8) = 1.0905 times the one before.</summary>
    public const int BucketsPerDoubling = 8;

    /// <summary>
    /// The upper bounds (seconds) of the latency histogram's buckets: 10 µs × 2^(k/8) up to 100 s and beyond, 187 of them.
    /// Fixed, so the histograms of every agent and every run add up bucket by bucket (what Prometheus' sum and
    /// histogram_quantile do); 9.05 % wide, so a quantile read from them is within one bucket (±9.05 %) of the
    /// run's own HdrHistogram figure, which is exact to 0.1 %.
    /// </summary>
    public static IReadOnlyList<double> LatencyBuckets { get; } =
        [.. Enumerable.Range(0, 187).Select(k => Math.Round(10e-6 * Math.Pow(2, (double)k / BucketsPerDoubling), 9))];

    /// <summary>The relative width of one latency bucket: a quantile from the buckets is within this factor of the exact one.</summary>
    public static double BucketRatio { get; } = Math.Pow(2, 1.0 / BucketsPerDoubling);
}
