using System.Buffers.Binary;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Benchmarks.Stores.Redis.Lean;

/// <summary>
/// One thread that waits on many sockets at once (Linux epoll), as redis-benchmark's event loop does: a thread per
/// connection costs a context switch per reply once connections outnumber cores, a poller wakes once for every socket
/// that has replies and serves them in turn. What it serves is told by <see cref="IReadable"/>; a socket is served on
/// this thread only, so the replies it parses complete (and their operations record) here.
/// </summary>
internal sealed class LeanPoller : IDisposable
{
    /// <summary>A registered socket's side: read and serve what arrived until the socket has no more.</summary>
    internal interface IReadable
    {
        void OnReadable();
    }

    private const int EpollCtlAdd = 1;
    private const int EpollCtlDel = 2;
    private const uint EpollIn = 0x001;
    private const int MaxEvents = 256;

    // struct epoll_event is packed on x86-64 (12 bytes: events, then the 8-byte data at offset 4); 16 bytes, data at 8, elsewhere.
    private static readonly int EventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;
    private static readonly int DataOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8;

    private readonly int _epoll;
    private readonly Thread _thread;
    private readonly object _registryLock = new();
    private IReadable?[] _registered = new IReadable?[16];
    private volatile bool _disposed;

    private LeanPoller(int epoll, int index)
    {
        _epoll = epoll;
        _thread = new Thread(Run) { IsBackground = true, Name = $"bench-lean-poller-{index}" };
        _thread.Start();
    }

    /// <summary>Pollers can run here: Linux, where epoll is (elsewhere each connection reads on a thread of its own).</summary>
    public static bool Supported => OperatingSystem.IsLinux();

    public static LeanPoller Start(int index)
    {
        var epoll = EpollCreate1(0);
        return epoll < 0 ? throw new IOException($"epoll_create1 failed (errno {Marshal.GetLastPInvokeError()})") : new LeanPoller(epoll, index);
    }

    /// <summary>Serves <paramref name="socket"/> (already non-blocking) on this poller until it is closed; returns its registration for <see cref="Remove"/>.</summary>
    public int Add(Socket socket, IReadable readable)
    {
        int slot;
        lock (_registryLock)
        {
            slot = Array.IndexOf(_registered, null);
            if (slot < 0)
            {
                slot = _registered.Length;
                var bigger = new IReadable?[_registered.Length * 2];
                _registered.CopyTo(bigger, 0);
                _registered = bigger;
            }

            _registered[slot] = readable;
        }

        var ev = new byte[EventSize];
        BinaryPrimitives.WriteUInt32LittleEndian(ev, EpollIn);
        BinaryPrimitives.WriteUInt64LittleEndian(ev.AsSpan(DataOffset), (ulong)slot);
        if (EpollCtl(_epoll, EpollCtlAdd, (int)socket.Handle, ev) < 0)
        {
            Remove(slot, socket: null);
            throw new IOException($"epoll_ctl failed (errno {Marshal.GetLastPInvokeError()})");
        }

        return slot;
    }

    /// <summary>Stops serving a registration (before its socket is closed, so a stale event finds nothing).</summary>
    public void Remove(int slot, Socket? socket)
    {
        if (socket is not null)
        {
            // Best effort: closing the socket removes it from the set too.
            _ = EpollCtl(_epoll, EpollCtlDel, (int)socket.Handle, new byte[EventSize]);
        }

        lock (_registryLock)
        {
            _registered[slot] = null;
        }
    }

    private void Run()
    {
        var events = new byte[MaxEvents * EventSize];
        while (!_disposed)
        {
            // A timeout so that disposing ends the thread even when no socket speaks.
            var ready = EpollWait(_epoll, events, MaxEvents, 200);
            if (ready < 0)
            {
                // EINTR (a signal, e.g. a debugger or the GC's suspension on some kernels): wait again.
                continue;
            }

            var registered = Volatile.Read(ref _registered);
            for (var i = 0; i < ready; i++)
            {
                var slot = (int)BinaryPrimitives.ReadUInt64LittleEndian(events.AsSpan((i * EventSize) + DataOffset));
                if (slot < registered.Length && registered[slot] is { } readable)
                {
                    readable.OnReadable();
                }
            }
        }
    }

    public void Dispose()
    {
        _disposed = true;
        if (Thread.CurrentThread != _thread)
        {
            _thread.Join();
        }

        _ = Close(_epoll);
    }

    [DllImport("libc", EntryPoint = "epoll_create1", SetLastError = true)]
    private static extern int EpollCreate1(int flags);

    [DllImport("libc", EntryPoint = "epoll_ctl", SetLastError = true)]
    private static extern int EpollCtl(int epoll, int operation, int fd, byte[] ev);

    [DllImport("libc", EntryPoint = "epoll_wait", SetLastError = true)]
    private static extern int EpollWait(int epoll, [Out] byte[] events, int maxEvents, int timeoutMilliseconds);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);
}
