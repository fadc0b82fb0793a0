using Benchmarks.Core.Stores;

namespace Benchmarks.Stores.Cosmos;

/// <summary>What every Cosmos DB operation reports besides its latency; declared here once, set by name in <see cref="CosmosOperations"/>.</summary>
internal static class CosmosMetrics
{
    public static readonly StoreMetric RequestCharge = new(StoreMetric.RequestUnits, "RU", "request charge of the operation (all pages of a query)", Decimals: 2);

    public static readonly StoreMetric RetryAfter = new("retry_after", "ms", "the wait a throttled (429) request was told to observe", Decimals: 1, Additive: false);

    public static readonly StoreMetric Retries = new("retries", "requests", "requests the SDK retried within the operation (429s and transient failures)");

    public static readonly IReadOnlyList<StoreMetric> All = [RequestCharge, RetryAfter, Retries];

    /// <summary>A request's charge and how many requests the SDK retried for it.</summary>
    public static OperationMeasures Of(double requestCharge, int retries) =>
        OperationMeasures.None.With(RequestCharge, requestCharge).With(Retries, retries);

    /// <summary>A failed request's charge, retries and the wait it was told to observe.</summary>
    public static OperationMeasures Of(double requestCharge, int retries, TimeSpan? retryAfter) =>
        Of(requestCharge, retries).With(RetryAfter, retryAfter?.TotalMilliseconds ?? double.NaN);
}
