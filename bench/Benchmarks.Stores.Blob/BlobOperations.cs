using System.Buffers;
using System.Diagnostics;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Benchmarks.Core.Stores;
using Benchmarks.Core.Workload;

namespace Benchmarks.Stores.Blob;

/// <summary>
/// The Blob operations of a mix. Each picks its artifact from the key distribution. Bodies are streamed
/// through a pooled buffer of <c>bufferSize</c> and counted as they arrive: a gigabyte download holds one
/// buffer, never the artifact.
/// </summary>
internal static class BlobOperations
{
    /// <summary>Each operation's name and constructor, declared once: the factory's list of operations is made from it.</summary>
    private static readonly (string Name, Func<BlobDriver, BlobOperationSettings, WorkloadContext, IStoreOperation> Create)[] Table =
    [
        ("download", (driver, settings, workload) => new Download(driver, workload, null)),
        ("range", (driver, settings, workload) => new Download(driver, workload, settings.RangeLength)),
        ("upload", (driver, settings, workload) => new Upload(driver, workload)),
        ("exists", (driver, settings, workload) => new Exists(driver, workload)),
        ("list", (driver, settings, workload) => new List(driver, workload, settings.PageSize)),
    ];

    public static IReadOnlyList<string> Names { get; } = [.. Table.Select(t => t.Name)];

    public static IStoreOperation Create(string operation, BlobDriver driver, BlobOperationSettings settings, WorkloadContext workload) =>
        Array.Find(Table, t => t.Name == operation).Create?.Invoke(driver, settings, workload)
        ?? throw new ArgumentOutOfRangeException(nameof(operation), operation, "validated by the factory");

    private abstract class BlobOperation(BlobDriver driver, WorkloadContext workload) : IMeasuringOperation
    {
        protected BlobDriver Driver => driver;

        protected WorkloadContext Workload => workload;

        public async ValueTask ExecuteAsync(OperationRandom random, long sequence, CancellationToken cancellationToken) =>
            await ExecuteMeasuredAsync(random, sequence, cancellationToken);

        public abstract ValueTask<OperationMeasures> ExecuteMeasuredAsync(OperationRandom random, long sequence, CancellationToken cancellationToken);

        protected BlobClient Pick(ref OperationRandom random, long sequence) => driver.Container.GetBlobClient(workload.NextKey(ref random, sequence));

        protected static double Seconds(long start) => Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    /// <summary>The whole artifact, or a range of <c>length</c> bytes at a random offset within it.</summary>
    private sealed class Download(BlobDriver driver, WorkloadContext workload, long? rangeLength) : BlobOperation(driver, workload)
    {
        public override async ValueTask<OperationMeasures> ExecuteMeasuredAsync(OperationRandom random, long sequence, CancellationToken cancellationToken)
        {
            var start = Stopwatch.GetTimestamp();
            var blob = Pick(ref random, sequence);
            var options = rangeLength is { } length
                ? new BlobDownloadOptions { Range = new HttpRange(random.NextLong(Math.Max(1, Driver.Settings.ArtifactSize - length + 1)), length) }
                : null;
            var response = await blob.DownloadStreamingAsync(options, cancellationToken);
            using var result = response.Value;
            await using var body = result.Content;
            var buffer = ArrayPool<byte>.Shared.Rent(Driver.Settings.BufferSize);
            long bytes = 0;
            try
            {
                int read;
                while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    bytes += read;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            return BlobMetrics.Of(bytes, Seconds(start));
        }
    }

    /// <summary>Overwrites an artifact with <c>artifactSize</c> bytes streamed from the seeded block.</summary>
    private sealed class Upload(BlobDriver driver, WorkloadContext workload) : BlobOperation(driver, workload)
    {
        public override async ValueTask<OperationMeasures> ExecuteMeasuredAsync(OperationRandom random, long sequence, CancellationToken cancellationToken)
        {
            var start = Stopwatch.GetTimestamp();
            await using var content = new ArtifactContent(Driver.Block, Driver.Settings.ArtifactSize);
            await Pick(ref random, sequence).UploadAsync(content, overwrite: true, cancellationToken);
            return BlobMetrics.Of(Driver.Settings.ArtifactSize, Seconds(start));
        }
    }

    /// <summary>Whether an artifact exists (a HEAD request): no body, so no bytes.</summary>
    private sealed class Exists(BlobDriver driver, WorkloadContext workload) : BlobOperation(driver, workload)
    {
        public override async ValueTask<OperationMeasures> ExecuteMeasuredAsync(OperationRandom random, long sequence, CancellationToken cancellationToken)
        {
            await Pick(ref random, sequence).ExistsAsync(cancellationToken);
            return OperationMeasures.None;
        }
    }

    /// <summary>The first page of the artifacts under the scenario's key prefix, <c>pageSize</c> names at most.</summary>
    private sealed class List(BlobDriver driver, WorkloadContext workload, int pageSize) : BlobOperation(driver, workload)

    {
        public override async ValueTask<OperationMeasures> ExecuteMeasuredAsync(OperationRandom random, long sequence, CancellationToken cancellationToken)
        {
            await foreach (var page in Driver.Container.GetBlobsAsync(BlobTraits.None, BlobStates.None, Workload.KeyPrefix, cancellationToken).AsPages(pageSizeHint: pageSize))
            {
                _ = page.Values.Count;
                break;
            }

            return OperationMeasures.None;
        }
    }
}
