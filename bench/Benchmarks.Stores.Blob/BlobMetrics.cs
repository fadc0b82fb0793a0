using Benchmarks.Core.Stores;

namespace Benchmarks.Stores.Blob;

/// <summary>What a Blob operation reports besides its latency; declared once here, set by name in <see cref="BlobOperations"/>.</summary>
internal static class BlobMetrics
{
    public static readonly StoreMetric Bytes = new("bytes", "B", "bytes transferred by the operation (the body read or written, counted as it streams)");

    public static readonly StoreMetric Throughput = new("mb_per_s", "MB/s", "bytes of the operation per second of its own latency, in MiB/s", Decimals: 2, Additive: false);

    public static readonly IReadOnlyList<StoreMetric> All = [Bytes, Throughput];

    /// <summary>A transfer of <paramref name="bytes"/> that took <paramref name="seconds"/>.</summary>
    public static OperationMeasures Of(long bytes, double seconds) =>
        OperationMeasures.None.With(Bytes, bytes).With(Throughput, bytes / (1024.0 * 1024) / Math.Max(seconds, 1e-9));
}
