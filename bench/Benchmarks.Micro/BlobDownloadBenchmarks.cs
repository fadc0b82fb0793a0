using System.Buffers;
using Azure.Storage.Blobs;
using Azure.Storage.Sas;
using BenchmarkDotNet.Attributes;
using Benchmarks.Stores.Blob.Local;

namespace Benchmarks.Micro;

/// <summary>
/// A 64 MB artifact downloaded from Azurite on loopback: through the harness's <c>download</c> operation
/// (Azure.Storage.Blobs, streamed through a 256 KB pooled buffer), and by a plain HttpClient GET of the same
/// blob (a read SAS, the body streamed through a buffer of the same size) as the reference. The ratio of
/// their times is what the harness's client path costs on a transfer.
/// </summary>
[MemoryDiagnoser]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet's GlobalCleanup disposes what GlobalSetup made")]
public class BlobDownloadBenchmarks
{
    private const int ArtifactMb = 64;
    private const int BufferSize = 256 * 1024;
    private LocalAzurite? _azurite;
    private ScenarioOperation? _download;
    private HttpClient? _http;
    private Uri? _sas;

    [GlobalSetup]
    public async Task Setup()
    {
        _azurite = await LocalAzurite.StartAsync(CancellationToken.None);
        _download = await ScenarioOperation.StartAsync($$"""
            name: micro-blob
            store: { kind: blob, connection: "{{_azurite.ConnectionString}}", container: micro, artifactSize: {{ArtifactMb}}MB, bufferSize: 256KB }
            data: { keys: 1, keyPrefix: "artifact-", preload: true }
            workload: { mix: [ { op: download } ] }
            load: { executor: constant-concurrency, concurrency: 1, duration: 1s }
            """);
        var blob = new BlobServiceClient(_azurite.ConnectionString).GetBlobContainerClient("micro").GetBlobClient("artifact-0");
        _sas = blob.GenerateSasUri(BlobSasPermissions.Read, DateTimeOffset.UtcNow.AddHours(1));
        _http = new HttpClient(new SocketsHttpHandler());
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        _http?.Dispose();
        if (_download is not null)
        {
            await _download.DisposeAsync();
        }

        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }

    [Benchmark(Baseline = true, Description = "HttpClient GET, 64 MB streamed (reference)")]
    public async Task<long> PlainGet()
    {
        using var response = await _http!.GetAsync(_sas, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        long bytes = 0;
        try
        {
            int read;
            while ((read = await body.ReadAsync(buffer)) > 0)
            {
                bytes += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return bytes;
    }

    [Benchmark(Description = "harness download, 64 MB (Azure.Storage.Blobs)")]
    public ValueTask HarnessDownload() => _download!.RunAsync();
}
