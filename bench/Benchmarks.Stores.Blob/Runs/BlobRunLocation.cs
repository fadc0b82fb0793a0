using System.Globalization;
using Azure;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Benchmarks.Core.Agents;

namespace Benchmarks.Stores.Blob.Runs;

/// <summary>
/// A run kept in a Blob container under a prefix (<c>blob://CONTAINER/RUN-ID</c>), mirrored in a local folder. Logs
/// that only grow (<c>.hlog</c>, <c>.jsonl</c>) are append blobs that receive each second's new bytes, so a lost agent
/// leaves what it measured up to its last second; other files are uploaded whole when they change. The account is
/// <see cref="StorageVariable"/>: a connection string (Azurite, account key, SAS) or an account URL (Entra ID).
/// </summary>
public sealed class BlobRunLocation : IRunLocation
{
    public const string Scheme = "blob://";

    /// <summary>The environment variable that names the storage account, so that no key is ever on a command line.</summary>
    public const string StorageVariable = "BENCH_RUNS_STORAGE";

    /// <summary>An append block holds at most 4 MiB.</summary>
    private const int AppendBlockBytes = 4 * 1024 * 1024;

    private readonly BlobContainerClient _container;
    private readonly string _prefix;
    private readonly Dictionary<string, long> _pushedLength = [];
    private readonly Dictionary<string, DateTime> _pushedWrite = [];
    private readonly Dictionary<string, ETag> _pulled = [];

    /// <summary>One push or pull at a time: two pushes of a growing log at once would append the same bytes twice.</summary>
    private readonly SemaphoreSlim _turn = new(1, 1);

    private BlobRunLocation(BlobContainerClient container, string prefix, string folder, string description)
    {
        _container = container;
        _prefix = prefix;
        Folder = folder;
        Description = description;
    }

    public string Folder { get; }

    public string Description { get; }

    /// <summary>Whether <paramref name="location"/> names a Blob location.</summary>
    public static bool Names(string location) => location.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase);

    /// <summary>Opens <c>blob://CONTAINER/PREFIX</c> with the account <paramref name="storage"/> names; the problem in words when it cannot be.</summary>
    public static async Task<(BlobRunLocation? Location, string? Problem)> OpenAsync(string location, string? storage, CancellationToken cancellationToken)
    {
        var path = location[Scheme.Length..].Trim('/');
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == path.Length - 1)
        {
            return (null, $"'{location}' is not blob://CONTAINER/RUN-ID (the run's prefix in the container is required)");
        }

        if (string.IsNullOrWhiteSpace(storage))
        {
            return (null, $"{StorageVariable} is not set: give the storage account as a connection string (Azurite, key, SAS) or an account URL https://ACCOUNT.blob.core.windows.net (Entra ID)");
        }

        var options = new BlobClientOptions { Retry = { MaxRetries = 3, NetworkTimeout = TimeSpan.FromSeconds(30) } };
        var service = storage.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
            ? new BlobServiceClient(new Uri(storage), new DefaultAzureCredential(), options)
            : new BlobServiceClient(storage, options);
        var container = service.GetBlobContainerClient(path[..slash]);
        try
        {
            await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        }
        catch (Exception e) when (e is RequestFailedException or AuthenticationFailedException or AggregateException or HttpRequestException)
        {
            // The exception's message never holds the key; its first line says what the service answered.
            return (null, $"the container '{path[..slash]}' of {service.AccountName} cannot be reached: {e.Message.Split('\n')[0]}");
        }

        var prefix = path[(slash + 1)..] + "/";
        // A mirror of its own for each process: agents and a merge on one machine must not write each other's files.
        var folder = Directory.CreateTempSubdirectory($"bench-run-{path[(slash + 1)..].Replace('/', '-')}-").FullName;
        return (new BlobRunLocation(container, prefix, folder, $"{Scheme}{path} (account {service.AccountName}; mirrored in {folder})"), null);
    }

    public Task PushAsync(string relativePath, CancellationToken cancellationToken) =>
        InTurnAsync(() => PushFilesAsync(relativePath, cancellationToken), cancellationToken);

    private async Task PushFilesAsync(string relativePath, CancellationToken cancellationToken)
    {
        var local = Path.Combine(Folder, relativePath);
        var files = File.Exists(local) ? [local] : Directory.Exists(local) ? Directory.GetFiles(local, "*", SearchOption.AllDirectories) : Array.Empty<string>();
        foreach (var file in files)
        {
            var name = _prefix + Path.GetRelativePath(Folder, file).Replace('\\', '/');
            if (Growing(file))
            {
                await AppendNewBytesAsync(file, name, cancellationToken);
            }
            else
            {
                var written = File.GetLastWriteTimeUtc(file);
                if (_pushedWrite.TryGetValue(name, out var last) && last == written)
                {
                    continue;
                }

                await _container.GetBlobClient(name).UploadAsync(file, overwrite: true, cancellationToken);
                _pushedWrite[name] = written;
            }
        }
    }

    /// <summary>Logs only grow: each push appends what was written since the last one.</summary>
    private async Task AppendNewBytesAsync(string file, string name, CancellationToken cancellationToken)
    {
        var blob = _container.GetAppendBlobClient(name);
        if (!_pushedLength.TryGetValue(name, out var sent))
        {
            await blob.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            sent = 0;
        }

        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var length = stream.Length;
        var buffer = new byte[AppendBlockBytes];
        stream.Position = sent;
        while (sent < length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, length - sent)), cancellationToken);
            if (read == 0)
            {
                break;
            }

            using var block = new MemoryStream(buffer, 0, read);
            await blob.AppendBlockAsync(block, cancellationToken: cancellationToken);
            sent += read;
        }

        _pushedLength[name] = sent;
    }

    public Task PullAsync(string relativePath, CancellationToken cancellationToken) =>
        InTurnAsync(() => PullFilesAsync(relativePath, cancellationToken), cancellationToken);

    private async Task InTurnAsync(Func<Task> work, CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken);
        try
        {
            await work();
        }
        finally
        {
            _turn.Release();
        }
    }

    private async Task PullFilesAsync(string relativePath, CancellationToken cancellationToken)
    {
        var prefix = _prefix + relativePath.Replace('\\', '/');
        await foreach (var item in _container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, cancellationToken))
        {
            var local = Path.Combine(Folder, item.Name[_prefix.Length..]);
            if (item.Properties.BlobType == BlobType.Append)
            {
                var have = File.Exists(local) ? new FileInfo(local).Length : 0;
                if (item.Properties.ContentLength is { } size && size > have)
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(local)!);
                    var range = await _container.GetBlobClient(item.Name).DownloadStreamingAsync(
                        new BlobDownloadOptions { Range = new HttpRange(have, size - have) }, cancellationToken);
                    await using var body = range.Value.Content;
                    await using var file = new FileStream(local, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
                    await body.CopyToAsync(file, cancellationToken);
                }
            }
            else if (item.Properties.ETag is { } etag && (!_pulled.TryGetValue(item.Name, out var had) || had != etag))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(local)!);
                await _container.GetBlobClient(item.Name).DownloadToAsync(local, cancellationToken);
                _pulled[item.Name] = etag;
            }
        }
    }

    /// <summary>
    /// Against the Blob service's clock. Its Date header has whole seconds, so it is read about every 20 ms until the
    /// second turns: the turn lies between the two answers, and so the offset is known to within their spacing.
    /// </summary>
    public async Task<(double OffsetMs, string Reference)> MeasureClockOffsetAsync(Func<DateTimeOffset> clock, CancellationToken cancellationToken)
    {
        DateTimeOffset? lastDate = null;
        var lastMiddle = DateTimeOffset.MinValue;
        for (var i = 0; i < 150; i++)
        {
            var before = clock();
            var response = await _container.GetPropertiesAsync(cancellationToken: cancellationToken);
            var after = clock();
            var middle = before + ((after - before) / 2);
            if (response.GetRawResponse().Headers.Date is { } date)
            {
                if (lastDate is { } previous && date > previous)
                {
                    var turn = lastMiddle + ((middle - lastMiddle) / 2);
                    var within = (middle - lastMiddle).TotalMilliseconds / 2;
                    return (Math.Round((turn - date).TotalMilliseconds, 1) + 0.0, string.Create(CultureInfo.InvariantCulture,
                        $"the Blob service's clock (its Date header turning a second; to within {within:0} ms)"));
                }

                lastDate = date;
                lastMiddle = middle;
            }

            await Task.Delay(20, cancellationToken);
        }

        return (0, "not measured: the Blob service's Date header did not turn a second in 3 s");
    }

    private static bool Growing(string file) => file.EndsWith(".hlog", StringComparison.Ordinal) || file.EndsWith(".jsonl", StringComparison.Ordinal);

    public ValueTask DisposeAsync()
    {
        _turn.Dispose();
        return ValueTask.CompletedTask;
    }
}
