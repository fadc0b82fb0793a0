using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Benchmarks.Core.Stores;

namespace Benchmarks.Stores.Redis;

/// <summary>
/// garnet-server run from the repository's local tool manifest. Out of process on purpose: the
/// Microsoft.Garnet library ships its own HdrHistogram.dll that collides with ours in one process.
/// </summary>
internal static class EmbeddedGarnet
{
    public static async Task<LocalServerProcess> StartAsync(string memory, CancellationToken cancellationToken)
    {
        var manifest = ToolManifest.FindDirectory()
            ?? throw new StoreUnavailableException("embedded Redis needs the garnet-server local tool, but no .config/dotnet-tools.json was found above the current directory; run from the repository, after `dotnet tool restore`");
        var port = LocalServerProcess.FreeLoopbackPort();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = manifest,
            ArgumentList = { "tool", "run", "garnet-server", "--", "--bind", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-q", "--memory", memory, "--index", "64m" },
        };
        try
        {
            return await LocalServerProcess.StartAsync("garnet-server", start, port, PingAsync, TimeSpan.FromSeconds(60), cancellationToken);
        }
        catch (StoreUnavailableException e) when (e.Message.Contains("dotnet tool restore", StringComparison.Ordinal) || e.Message.Contains("could not be found", StringComparison.OrdinalIgnoreCase))
        {
            throw new StoreUnavailableException($"garnet-server is not installed: run `dotnet tool restore` in {manifest}. {e.Message}", e);
        }
    }

    /// <summary>Starts Debian's redis-server (on the PATH) on a free loopback port, without persistence: the store a scripted fault can pause, kill or slow.</summary>
    public static async Task<LocalServerProcess> StartRedisServerAsync(CancellationToken cancellationToken)
    {
        var port = LocalServerProcess.FreeLoopbackPort();
        var start = new ProcessStartInfo("redis-server")
        {
            ArgumentList = { "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--enable-debug-command", "local" },
        };
        try
        {
            return await LocalServerProcess.StartAsync("redis-server", start, port, PingAsync, TimeSpan.FromSeconds(30), cancellationToken);
        }
        catch (StoreUnavailableException e) when (e.InnerException is System.ComponentModel.Win32Exception)
        {
            throw new StoreUnavailableException($"connection: local needs redis-server on the PATH (Debian: sudo apt-get install -y redis-server). {e.Message}", e);
        }
    }

    /// <summary>Ready when a RESP PING on a fresh socket answers +PONG.</summary>
    internal static async Task<bool> PingAsync(int port, CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(1));
            await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync("*1\r\n$4\r\nPING\r\n"u8.ToArray(), timeout.Token);
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer, timeout.Token);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return false;
        }
    }
}
