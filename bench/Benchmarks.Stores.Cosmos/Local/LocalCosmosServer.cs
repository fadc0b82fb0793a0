using System.Diagnostics;
using System.Globalization;
using Benchmarks.Core.Stores;

namespace Benchmarks.Stores.Cosmos.Local;

/// <summary>
/// The local Cosmos DB endpoint: <c>tools/cosmos-server/server.js</c> (our launcher around npm
/// @vercel/cosmosdb-server, installed with <c>npm ci</c>) under Node on a free loopback port, ready
/// when it answers the account request over HTTPS. What it cannot emulate is in the README: real
/// request charges (always 1 RU), 429s, partitions, consistency, TransactionalBatch and bulk.
/// </summary>
internal static class LocalCosmosServer
{
    /// <summary>The emulator's published, well-known account key: the local server accepts any key, and this one is public.</summary>
    public const string WellKnownKey = "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";

    public const string InstallHint = "install it once with `npm ci --prefix tools/cosmos-server` (Node.js 18+), from the repository";

    public static string? FindLauncher() => ToolManifest.FindUpwards(Path.Combine("tools", "cosmos-server", "server.js"));

    /// <summary>The version of the installed cosmosdb-server package; null when it cannot be read.</summary>
    public static string? InstalledVersion() => FindLauncher() is { } launcher
        ? ToolManifest.NpmPackageVersion(Path.Combine(Path.GetDirectoryName(launcher)!, "node_modules", "@vercel", "cosmosdb-server", "package.json"))
        : null;

    public static async Task<LocalServerProcess> StartAsync(CancellationToken cancellationToken)
    {
        var launcher = FindLauncher()
            ?? throw new StoreUnavailableException($"the local Cosmos server (tools/cosmos-server/server.js) was not found above the current directory; run from the repository and {InstallHint}");
        var folder = Path.GetDirectoryName(launcher)!;
        if (!Directory.Exists(Path.Combine(folder, "node_modules", "@vercel", "cosmosdb-server")))
        {
            throw new StoreUnavailableException($"the local Cosmos server's package is not installed: {InstallHint}");
        }

        var port = LocalServerProcess.FreeLoopbackPort();
        var start = new ProcessStartInfo("node") { WorkingDirectory = folder, ArgumentList = { launcher, port.ToString(CultureInfo.InvariantCulture) } };
        return await LocalServerProcess.StartAsync("cosmosdb-server (node)", start, port, ReadyAsync, TimeSpan.FromSeconds(30), cancellationToken);
    }

    private static async Task<bool> ReadyAsync(int port, CancellationToken cancellationToken)
    {
        using var handler = LoopbackHandler();
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            using var response = await client.GetAsync(new Uri(string.Create(CultureInfo.InvariantCulture, $"https://127.0.0.1:{port}/")), cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return false;
        }
    }

    /// <summary>
    /// Accepts the local server's certificate (self-signed, expired, CN=cosmosdb) for loopback only; any
    /// other host keeps full validation.
    /// </summary>
    public static SocketsHttpHandler LoopbackHandler() => new()
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(10),
        MaxConnectionsPerServer = 256,
        SslOptions =
        {
            RemoteCertificateValidationCallback = (sender, _, _, errors) =>
                errors == System.Net.Security.SslPolicyErrors.None
                || (sender is System.Net.Security.SslStream { TargetHostName: "127.0.0.1" or "localhost" }),
        },
    };
}
