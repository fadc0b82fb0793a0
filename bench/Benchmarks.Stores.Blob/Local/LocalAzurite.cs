using System.Diagnostics;
using System.Globalization;
using Benchmarks.Core.Stores;

namespace Benchmarks.Stores.Blob.Local;

/// <summary>
/// The local Blob endpoint: Azurite's blob service (npm <c>azurite</c>, pinned in <c>tools/azurite</c>, installed
/// with <c>npm ci</c>) under Node on a free loopback port, keeping its data in a throwaway folder that goes
/// with it. Ready when it answers HTTP, not after a sleep.
/// </summary>
internal sealed class LocalAzurite : IAsyncDisposable
{
    /// <summary>Azurite's well-known development account and its published key (public: it opens nothing else).</summary>
    public const string Account = "devstoreaccount1";

    public const string WellKnownKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    public const string InstallHint = "install it once with `npm ci --prefix tools/azurite` (Node.js 18+), from the repository";

    private readonly LocalServerProcess _process;
    private readonly string _folder;

    private LocalAzurite(LocalServerProcess process, string folder)
    {
        _process = process;
        _folder = folder;
    }

    public int Port => _process.Port;

    public string ConnectionString => string.Create(CultureInfo.InvariantCulture,
        $"DefaultEndpointsProtocol=http;AccountName={Account};AccountKey={WellKnownKey};BlobEndpoint=http://127.0.0.1:{Port}/{Account};");

    public static string? FindPackage() => ToolManifest.FindUpwards(Path.Combine("tools", "azurite", "package.json")) is { } manifest
        ? Path.GetDirectoryName(manifest)
        : null;

    /// <summary>The installed Azurite version; null when it cannot be read.</summary>
    public static string? InstalledVersion() => FindPackage() is { } folder
        ? ToolManifest.NpmPackageVersion(Path.Combine(folder, "node_modules", "azurite", "package.json"))
        : null;

    public static async Task<LocalAzurite> StartAsync(CancellationToken cancellationToken)
    {
        var folder = FindPackage()
            ?? throw new StoreUnavailableException($"Azurite (tools/azurite) was not found above the current directory; run from the repository and {InstallHint}");
        var main = Path.Combine(folder, "node_modules", "azurite", "dist", "src", "blob", "main.js");
        if (!File.Exists(main))
        {
            throw new StoreUnavailableException($"Azurite's package is not installed: {InstallHint}");
        }

        var data = Directory.CreateTempSubdirectory("bench-azurite-").FullName;
        var port = LocalServerProcess.FreeLoopbackPort();
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = folder,
            ArgumentList =
            {
                main, "--blobHost", "127.0.0.1", "--blobPort", port.ToString(CultureInfo.InvariantCulture), "--location", data,
                "--silent", "--skipApiVersionCheck", "--disableProductStyleUrl",
            },
        };
        try
        {
            var process = await LocalServerProcess.StartAsync("azurite-blob (node)", start, port, ReadyAsync, TimeSpan.FromSeconds(30), cancellationToken);
            return new LocalAzurite(process, data);
        }
        catch
        {
            Directory.Delete(data, recursive: true);
            throw;
        }
    }

    /// <summary>Any HTTP answer means the service listens (an unsigned request is refused, which is an answer).</summary>
    private static async Task<bool> ReadyAsync(int port, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            using var response = await client.GetAsync(new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/{Account}?comp=list")), cancellationToken);
            return true;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file Azurite still held: the temp folder is the system's to clean.
        }
    }
}
