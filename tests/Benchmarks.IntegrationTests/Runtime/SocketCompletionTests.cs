using System.Net;
using System.Net.Sockets;

namespace Benchmarks.IntegrationTests.Runtime;

/// <summary>The integration tests run their sockets the way <c>bench</c> does: completions inline on the socket engine's threads.</summary>
public sealed class SocketCompletionTests
{
    [Fact]
    public async Task Socket_completions_run_on_the_socket_engines_thread_as_in_bench()
    {
        Assert.Equal("1", Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"));

        // What the setting does: the continuation of a receive runs on the engine's thread, not a thread-pool worker.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port, TestContext.Current.CancellationToken);
        using var server = await listener.AcceptSocketAsync(TestContext.Current.CancellationToken);
        var received = client.Client.ReceiveAsync(new byte[1], SocketFlags.None, TestContext.Current.CancellationToken).AsTask();
        await Task.Delay(100, TestContext.Current.CancellationToken);
        var onPool = new TaskCompletionSource<bool>();
        _ = received.ContinueWith(_ => onPool.SetResult(Thread.CurrentThread.IsThreadPoolThread), TaskContinuationOptions.ExecuteSynchronously);
        await server.SendAsync(new byte[] { 1 }, SocketFlags.None);
        Assert.False(await onPool.Task, "the receive completed on a thread-pool worker: completions are not inline");
    }
}
