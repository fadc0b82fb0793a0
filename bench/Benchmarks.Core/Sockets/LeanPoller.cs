using System.Buffers.Binary;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Benchmarks.Core.Sockets;

/// <summary>
/// One thread that waits on many sockets at once (Linux epoll), as redis-benchmark's event loop does: a thread per
/// connection costs a context switch per reply once connections outnumber cores, a poller wakes once for every socket
/// that has replies and serves them in turn. What it serves is told by <see cref="IReadable"/>. While another thread
/// reads for it (<see cref="Pause"/>: the open-model dispatcher, between its starts) the poller's own thread stands by;
/// one thread at a time serves its sockets, so the replies it parses complete (and their operations record) there.
/// </summary>
public sealed class LeanPoller : IDisposable
{
    /// <summary>A registered socket's side: read and serve what arrived until the socket has no more.</summary>
    public interface IReadable
    {
        void OnReadable();
    }

    private readonly int _epoll;
    private readonly Thread _thread;
    private readonly object _registryLock = new();
    private readonly object _serving = new();
    private readonly ManualResetEventSlim _resumed = new(initialState: true);
    private readonly byte[] _readyForOther = Epoll.Events();
    private IReadable?[] _registered = new IReadable?[16];
    private volatile bool _paused;
    private volatile bool _disposed;

    private LeanPoller(int epoll, int index)
    {
        _epoll = epoll;
        _thread = new Thread(Run) { IsBackground = true, Name = $"bench-lean-poller-{index}" };
        _thread.Start();
    }

    /// <summary>Pollers can run here: Linux, where epoll is (elsewhere each lean client reads otherwise).</summary>
    public static bool Supported => OperatingSystem.IsLinux();

    public static LeanPoller Start(int index) => new(Epoll.Create(), index);

    /// <summary>The epoll descriptor, which is itself readable when a socket of the set is (a group waits on several pollers at once).</summary>
    public int Descriptor => _epoll;

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

        try
        {
            Epoll.Add(_epoll, (int)socket.Handle, (ulong)slot);
        }
        catch (IOException)
        {
            Remove(slot, socket: null);
            throw;
        }

        return slot;
    }

    /// <summary>Stops serving a registration (before its socket is closed, so a stale event finds nothing).</summary>
    public void Remove(int slot, Socket? socket)
    {
        if (socket is not null)
        {
            // Best effort: closing the socket removes it from the set too.
            Epoll.Remove(_epoll, (int)socket.Handle);
        }

        lock (_registryLock)
        {
            _registered[slot] = null;
        }
    }

    /// <summary>The calling thread reads for this poller until <see cref="Resume"/>: the poller's own thread stands by.</summary>
    public void Pause()
    {
        _resumed.Reset();
        _paused = true;
    }

    public void Resume()
    {
        _paused = false;
        _resumed.Set();
    }

    /// <summary>On the thread that paused the poller: waits up to <paramref name="nanoseconds"/> (0: not at all) and serves every socket that has replies.</summary>
    public void ServeReady(long nanoseconds)
    {
        lock (_serving)
        {
            Serve(_readyForOther, Epoll.WaitPrecisely(_epoll, _readyForOther, nanoseconds));
        }
    }

    private void Run()
    {
        var events = Epoll.Events();
        while (!_disposed)
        {
            if (_paused)
            {
                // Another thread reads; back when it resumes (or every 200 ms to see whether this poller is disposed).
                _resumed.Wait(200);
                continue;
            }

            // A timeout so that disposing ends the thread even when no socket speaks.
            var ready = Epoll.Wait(_epoll, events, 200);
            lock (_serving)
            {
                // Paused meanwhile: level-triggered, what is ready is still ready for the thread that reads now.
                if (!_paused)
                {
                    Serve(events, ready);
                }
            }
        }
    }

    private void Serve(byte[] events, int ready)
    {
        var registered = Volatile.Read(ref _registered);
        for (var i = 0; i < ready; i++)
        {
            var slot = (int)Epoll.Data(events, i);
            if (slot < registered.Length && registered[slot] is { } readable)
            {
                readable.OnReadable();
            }
        }
    }

    public void Dispose()
    {
        _disposed = true;
        _resumed.Set();
        if (Thread.CurrentThread != _thread)
        {
            _thread.Join();
        }

        Epoll.Close(_epoll);
        _resumed.Dispose();
    }
}

/// <summary>Linux epoll, as little of it as the lean clients need: level-triggered readability of sockets (or of other epoll sets).</summary>
public static class Epoll
{
    public const int MaxEvents = 256;

    private const int CtlAdd = 1;
    private const int CtlDel = 2;
    private const uint In = 0x001;

    // struct epoll_event is packed on x86-64 (12 bytes: events, then the 8-byte data at offset 4); 16 bytes, data at 8, elsewhere.
    private static readonly int EventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;
    private static readonly int DataOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8;
    private static bool _noPwait2;

    public static byte[] Events() => new byte[MaxEvents * EventSize];

    public static int Create()
    {
        var epoll = EpollCreate1(0);
        return epoll < 0 ? throw new IOException($"epoll_create1 failed (errno {Marshal.GetLastPInvokeError()})") : epoll;
    }

    public static void Add(int epoll, int fd, ulong data)
    {
        var ev = new byte[EventSize];
        BinaryPrimitives.WriteUInt32LittleEndian(ev, In);
        BinaryPrimitives.WriteUInt64LittleEndian(ev.AsSpan(DataOffset), data);
        if (EpollCtl(epoll, CtlAdd, fd, ev) < 0)
        {
            throw new IOException($"epoll_ctl failed (errno {Marshal.GetLastPInvokeError()})");
        }
    }

    /// <summary>Best effort: closing a descriptor removes it from the set too.</summary>
    public static void Remove(int epoll, int fd) => _ = EpollCtl(epoll, CtlDel, fd, new byte[EventSize]);

    /// <summary>Waits up to <paramref name="milliseconds"/> (0: not at all); the number of ready entries, 0 on a time-out or a signal.</summary>
    public static int Wait(int epoll, byte[] events, int milliseconds) => Math.Max(0, EpollWait(epoll, events, MaxEvents, milliseconds));

    /// <summary>Waits up to <paramref name="nanoseconds"/> with the kernel's timer precision (epoll_pwait2, Linux 5.11); milliseconds, rounded down, before it.</summary>
    public static int WaitPrecisely(int epoll, byte[] events, long nanoseconds)
    {
        if (!_noPwait2)
        {
            try
            {
                var timeout = Timespec.FromNanoseconds(nanoseconds);
                var ready = EpollPwait2(epoll, events, MaxEvents, in timeout, IntPtr.Zero);
                if (ready >= 0 || Marshal.GetLastPInvokeError() != 38)
                {
                    return Math.Max(0, ready);
                }
            }
            catch (EntryPointNotFoundException)
            {
            }

            // ENOSYS or an older C library: whole milliseconds from now on.
            _noPwait2 = true;
        }

        return Wait(epoll, events, (int)(nanoseconds / 1_000_000));
    }

    /// <summary>The data word of ready entry <paramref name="index"/>.</summary>
    public static ulong Data(byte[] events, int index) => BinaryPrimitives.ReadUInt64LittleEndian(events.AsSpan((index * EventSize) + DataOffset));

    public static void Close(int epoll) => _ = CloseDescriptor(epoll);

    [DllImport("libc", EntryPoint = "epoll_create1", SetLastError = true)]
    private static extern int EpollCreate1(int flags);

    [DllImport("libc", EntryPoint = "epoll_ctl", SetLastError = true)]
    private static extern int EpollCtl(int epoll, int operation, int fd, byte[] ev);

    [DllImport("libc", EntryPoint = "epoll_wait", SetLastError = true)]
    private static extern int EpollWait(int epoll, [Out] byte[] events, int maxEvents, int timeoutMilliseconds);

    [DllImport("libc", EntryPoint = "epoll_pwait2", SetLastError = true)]
    private static extern int EpollPwait2(int epoll, [Out] byte[] events, int maxEvents, in Timespec timeout, IntPtr signalMask);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int CloseDescriptor(int fd);
}
