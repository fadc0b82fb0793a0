using System.Globalization;
using Azure;
using Azure.Identity;
using Azure.Storage.Blobs;
using Benchmarks.Core.Stores;
using Benchmarks.Core.Workload;
using Benchmarks.Stores.Blob.Local;

namespace Benchmarks.Stores.Blob;

/// <summary>
/// Azure Blob Storage through Azure.Storage.Blobs. Connecting creates the container when missing; the
/// preload writes <c>data.keys</c> artifacts of <c>artifactSize</c>, streamed from one seeded block.
/// The SDK's own retries are off: a failed request is counted as an error, not hidden in a latency.
/// </summary>
internal sealed class BlobDriver(BlobSettings settings) : IStoreDriver, IPreloadingDriver, IExposesClient
{
    /// <summary>The block artifacts repeat; a MiB keeps the content incompressible at any transfer size.</summary>
    private const int BlockSize = 1024 * 1024;

    private LocalAzurite? _local;
    private BlobContainerClient? _container;
    private byte[]? _block;

    internal BlobContainerClient Container => _container!;

    public T? Client<T>() where T : class => typeof(T) == typeof(BlobContainerClient) ? _container as T : null;

    public IReadOnlyList<Type> ClientTypes { get; } = [typeof(BlobContainerClient)];

    internal BlobSettings Settings => settings;

    internal ReadOnlyMemory<byte> Block => _block!;

    public async Task<StoreInfo> ConnectAsync(CancellationToken cancellationToken)
    {
        var options = new BlobClientOptions
        {
            Retry = { MaxRetries = 0, NetworkTimeout = settings.OperationTimeout },
        };
        options.Diagnostics.IsLoggingEnabled = false;
        options.Diagnostics.IsDistributedTracingEnabled = false;
        string target;
        if (settings.IsLocal)
        {
            _local = await LocalAzurite.StartAsync(cancellationToken);
            target = string.Create(CultureInfo.InvariantCulture, $"local Azurite at 127.0.0.1:{_local.Port}");
        }
        else
        {
            target = BlobDriverFactory.Redact(settings);
        }

        try
        {
            // Inside the try: a connection string the SDK cannot read is an unreachable store, said without its key.
            var service = _local is not null ? new BlobServiceClient(_local.ConnectionString, options)
                : settings.IsAccountUrl ? new BlobServiceClient(new Uri(settings.Connection), new DefaultAzureCredential(), options)
                : new BlobServiceClient(settings.Connection, options);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(settings.ConnectTimeout);
            _container = service.GetBlobContainerClient(settings.Container);
            await _container.CreateIfNotExistsAsync(cancellationToken: timeout.Token);
            return new StoreInfo(target, "Azure.Storage.Blobs", typeof(BlobServiceClient).Assembly.GetName().Version?.ToString() ?? "?",
                settings.IsLocal ? "Azurite (local)" : $"Azure Blob Storage account {service.AccountName}",
                settings.IsLocal ? LocalAzurite.InstalledVersion() : null);
        }
        catch (Exception e) when (e is RequestFailedException or HttpRequestException or OperationCanceledException or AuthenticationFailedException or FormatException or ArgumentException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var why = e is OperationCanceledException ? string.Create(CultureInfo.InvariantCulture, $"no answer within {settings.ConnectTimeout.TotalSeconds:0.#} s")
                : e is FormatException or ArgumentException ? "the connection string cannot be read (check its parts: AccountName, AccountKey or SharedAccessSignature, BlobEndpoint)"
                : e.Message.Split('\n')[0];
            throw new StoreUnavailableException($"cannot reach Blob storage at {target}: {why}", e);
        }
    }

    internal byte[] BlockFor(WorkloadContext workload) => _block ??= ArtifactContent.Block(workload.Seed, (int)Math.Min(BlockSize, Math.Max(1, settings.ArtifactSize)));

    public (long Count, string Description) DescribePreload(DataDefinition data) =>
        (data.Keys, string.Create(CultureInfo.InvariantCulture, $"{data.Keys:N0} artifacts of {settings.ArtifactSize:N0} B"));

    /// <summary>Uploads every artifact, <c>preloadConcurrency</c> at a time, overwriting what a previous run left.</summary>
    public async Task PreloadAsync(WorkloadContext workload, DataDefinition data, IProgress<long> progress, CancellationToken cancellationToken)
    {
        var block = BlockFor(workload);
        long done = 0;
        await Parallel.ForAsync(0, data.Keys, new ParallelOptions { MaxDegreeOfParallelism = settings.PreloadConcurrency, CancellationToken = cancellationToken },
            async (index, token) =>
            {
                await using var content = new ArtifactContent(block, settings.ArtifactSize);
                await _container!.GetBlobClient(workload.Key(index)).UploadAsync(content, overwrite: true, token);
                progress.Report(Interlocked.Increment(ref done));
            });
    }

    public IStoreOperation CreateOperation(OperationDefinition operation, WorkloadContext workload)
    {
        BlockFor(workload);
        return BlobOperations.Create(operation.Operation, this, operation.SettingsOf<BlobOperationSettings>(), workload);
    }

    public ErrorKind Classify(Exception error) => error switch
    {
        RequestFailedException { Status: 404 } => ErrorKind.NotFound,
        RequestFailedException { Status: 409 or 412 } => ErrorKind.Constraint,
        RequestFailedException { Status: 429 or 503 } => ErrorKind.Throttled,
        RequestFailedException { Status: 408 } => ErrorKind.Timeout,
        RequestFailedException { Status: >= 500 } => ErrorKind.Server,
        RequestFailedException { Status: >= 400 } => ErrorKind.Client,
        RequestFailedException { Status: 0, InnerException: TaskCanceledException or TimeoutException } => ErrorKind.Timeout,
        RequestFailedException { Status: 0 } => ErrorKind.Connection,
        TaskCanceledException or TimeoutException => ErrorKind.Timeout,
        HttpRequestException or IOException => ErrorKind.Connection,
        _ => ErrorKind.Other,
    };

    public async ValueTask DisposeAsync()
    {
        if (_local is not null)
        {
            await _local.DisposeAsync();
        }
    }
}
