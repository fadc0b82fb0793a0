using System.Net;
using System.Net.Sockets;
using Benchmarks.Core.Recording;
using Benchmarks.Core.Sockets;

namespace Benchmarks.UnitTests.Sockets;

/// <summary>The open model's dispatcher waits in <see cref="Epoll.WaitPrecisely"/> twice per operation.</summary>
public sealed class EpollTests
{
    [Fact]
    public void A_precise_wait_allocates_nothing()
    {
        // Garbage made here is memory the dispatcher touches for the first time: on the 2-vCPU VM the docs measure on,
        // 40 bytes per wait (two waits per operation at 5 000/s) were 90-170 page faults a second on that thread.
        Assert.SkipUnless(LeanPoller.Supported, "epoll is Linux's");
        var epoll = Epoll.Create();
        try
        {
            var events = Epoll.Events();
            Epoll.WaitPrecisely(epoll, events, 1_000);
            var ready = 0;
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 1_000; i++)
            {
                ready += Epoll.WaitPrecisely(epoll, events, 1_000);
            }

            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(0, ready);
            Assert.Equal(0, allocated);
        }
        finally
        {
            Epoll.Close(epoll);
        }
    }

    [Fact]
    public void A_precise_wait_returns_when_a_socket_is_readable_and_times_out_otherwise()
    {
        Assert.SkipUnless(LeanPoller.Supported, "epoll is Linux's");
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(listener.LocalEndPoint!);
        using var server = listener.Accept();
        var epoll = Epoll.Create();
        try
        {
            Epoll.Add(epoll, (int)client.Handle, 42);
            var events = Epoll.Events();
            var started = Timing.Now;
            Assert.Equal(0, Epoll.WaitPrecisely(epoll, events, 2_000_000));
            Assert.True(Timing.ToSeconds(Timing.Now - started) >= 0.0019, "returned before its 2 ms time-out");

            server.Send([1]);
            Assert.Equal(1, Epoll.WaitPrecisely(epoll, events, 5_000_000_000));
            Assert.Equal(42UL, Epoll.Data(events, 0));
        }
        finally
        {
            Epoll.Close(epoll);
        }
    }
}
