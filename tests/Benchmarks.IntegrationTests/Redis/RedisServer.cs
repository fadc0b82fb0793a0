using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Benchmarks.Core.Stores;
using Benchmarks.Stores.Redis;

namespace Benchmarks.IntegrationTests.Redis;

/// <summary>A throwaway redis-server (Debian's) on a free loopback port, in the foreground, killed on dispose.</summary>
internal sealed class RedisServer : IAsyncDisposable
{
    private readonly LocalServerProcess _process;

    private RedisServer(LocalServerProcess process) => _process = process;

    public int Port => _process.Port;

    public string Connection => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    public static async Task<RedisServer> StartAsync(params string[] extra)
    {
        var path = Requirements.FindOnPath("redis-server");
        if (path is null)
        {
            Requirements.Unavailable("redis-server", "apt-get install redis-server");
        }

        var port = LocalServerProcess.FreeLoopbackPort();
        var start = new ProcessStartInfo(path!)
        {
            ArgumentList = { "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--enable-debug-command", "local" },
        };
        foreach (var arg in extra)
        {
            start.ArgumentList.Add(arg);
        }

        return new RedisServer(await LocalServerProcess.StartAsync("redis-server", start, port,
            extra.Contains("--requirepass") ? PortOpenAsync : EmbeddedGarnet.PingAsync, TimeSpan.FromSeconds(20), CancellationToken.None));
    }

    /// <summary>Sends one command on a fresh connection and returns the first reply line (DEBUG SLEEP blocks until the sleep ends).</summary>
    public async Task<string> CommandAsync(params string[] args)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", Port);
        var request = new StringBuilder($"*{args.Length}\r\n");
        foreach (var a in args)
        {
            request.Append(CultureInfo.InvariantCulture, $"${Encoding.UTF8.GetByteCount(a)}\r\n{a}\r\n");
        }

        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.UTF8.GetBytes(request.ToString()));
        var buffer = new byte[256];
        var read = await stream.ReadAsync(buffer);
        return Encoding.UTF8.GetString(buffer, 0, read).TrimEnd();
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    private static async Task<bool> PortOpenAsync(int port, CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port, cancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
