using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;
using System.Threading.Tasks.Sources;
using Benchmarks.Core.Sockets;

namespace Benchmarks.Stores.Redis.Lean;

/// <summary>Where and how a lean connection connects: host, port, TLS, AUTH, timeouts.</summary>
internal sealed record LeanEndpoint(string Host, int Port, bool Tls, string? User, string? Password, TimeSpan ConnectTimeout, TimeSpan OperationTimeout);

/// <summary>The server said no (a RESP error reply): its message, e.g. "WRONGTYPE ..." or "ERR ...".</summary>
internal sealed class LeanServerException(string message) : Exception(message);

/// <summary>The connection is down (closed, reset, timed out and dropped, or not yet reconnected).</summary>
internal sealed class LeanConnectionException(string message, Exception? inner = null) : IOException(message, inner);

/// <summary>
/// One Redis connection with as few thread hand-offs as RESP allows. A command is written by the thread that issues
/// it, synchronously, under a lock that also queues its reply slot (so replies and slots stay in the same order).
/// Replies are parsed by whoever reads the socket and complete their slots inline, so the operation's continuation
/// (which records its latency) runs on that thread, never through the thread pool: on Linux a <see cref="LeanPoller"/>
/// (one thread serving many sockets, as redis-benchmark's event loop), elsewhere and over TLS a thread of the
/// connection's own blocked on its socket. A reply not back within the operation time-out drops the connection (every
/// waiting operation fails with a time-out); a dropped connection fails new commands at once and reconnects in the
/// background twice a second.
/// </summary>
internal sealed class LeanConnection : IAsyncDisposable, LeanPoller.IReadable
{
    private readonly LeanEndpoint _endpoint;
    private readonly object _sendLock = new();
    private readonly Queue<PendingReply> _pending = new();
    private readonly Timer _watchdog;
    private readonly LeanPoller? _poller;
    private byte[] _sendBuffer = new byte[4096];
    private Link? _link;
    private int _generation;
    private Task? _reconnecting;
    private volatile bool _disposed;

    private LeanConnection(LeanEndpoint endpoint, LeanPoller? poller)
    {
        _endpoint = endpoint;
        _poller = poller;
        _watchdog = new Timer(_ => CheckTimeouts(), null, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(100));
    }

    /// <summary>Connects; with a <paramref name="poller"/> (Linux, no TLS) its replies are read there, otherwise on a thread of its own.</summary>
    public static async Task<LeanConnection> ConnectAsync(LeanEndpoint endpoint, LeanPoller? poller, CancellationToken cancellationToken)
    {
        var connection = new LeanConnection(endpoint, poller is not null && !endpoint.Tls ? poller : null);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends one command; the reply's payload is kept only when <paramref name="materialise"/> (otherwise only whether it succeeded).</summary>
    public ValueTask<RespReply> SendAsync(ReadOnlySpan<RespArgument> command, bool materialise = false)
    {
        var pending = PendingReply.Rent(materialise);
        lock (_sendLock)
        {
            var link = _link ?? throw Down();
            var size = Resp.Size(command);
            EnsureBuffer(size);
            var written = Resp.Write(_sendBuffer, command);
            _pending.Enqueue(pending);
            Write(link, written);
        }

        return pending.Task;
    }

    /// <summary>
    /// Sends a pipeline in one write: <paramref name="arguments"/> holds its commands one after the other, each
    /// <paramref name="width"/> arguments long. One slot waits for all their replies: it completes with the last
    /// reply, or fails with the first error a command of the batch got.
    /// </summary>
    public ValueTask<RespReply> SendBatch(ReadOnlySpan<RespArgument> arguments, int width)
    {
        var commands = arguments.Length / width;
        var pending = PendingReply.Rent(materialise: false, replies: commands);
        lock (_sendLock)
        {
            var link = _link ?? throw Down();
            var at = 0;
            for (var i = 0; i < commands; i++)
            {
                var command = arguments.Slice(i * width, width);
                EnsureBuffer(at + Resp.Size(command), keep: at);
                at += Resp.Write(_sendBuffer.AsSpan(at), command);
                // The slot once per reply it waits for: the reader hands it each reply in order.
                _pending.Enqueue(pending);
            }

            Write(link, at);
        }

        return pending.Task;
    }

    private void EnsureBuffer(int size, int keep = 0)
    {
        if (_sendBuffer.Length < size)
        {
            var bigger = new byte[Math.Max(size, _sendBuffer.Length * 2)];
            _sendBuffer.AsSpan(0, keep).CopyTo(bigger);
            _sendBuffer = bigger;
        }
    }

    /// <summary>Writes under the send lock; a failure drops the connection (the queued slots fail with it).</summary>
    private void Write(Link link, int length)
    {
        try
        {
            if (link.Polled)
            {
                SendAll(link.Socket, _sendBuffer.AsSpan(0, length));
            }
            else
            {
                link.Stream.Write(_sendBuffer, 0, length);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or TimeoutException)
        {
            Drop(new LeanConnectionException($"writing to {_endpoint.Host}:{_endpoint.Port} failed: {e.Message}", e));
            throw Down();
        }
    }

    /// <summary>A polled socket is non-blocking: what the kernel cannot take now is sent once it can (a full send buffer is rare: the server is not reading).</summary>
    private void SendAll(Socket socket, ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            var sent = socket.Send(data, SocketFlags.None, out var error);
            if (error == SocketError.WouldBlock)
            {
                if (!socket.Poll(_endpoint.OperationTimeout, SelectMode.SelectWrite))
                {
                    throw new TimeoutException($"{_endpoint.Host}:{_endpoint.Port} took no data for {_endpoint.OperationTimeout.TotalMilliseconds:0} ms");
                }

                continue;
            }

            if (error != SocketError.Success)
            {
                throw new SocketException((int)error);
            }

            data = data[sent..];
        }
    }

    private LeanConnectionException Down() => new($"the connection to {_endpoint.Host}:{_endpoint.Port} is down (reconnecting)");

    /// <summary>
    /// Connects, with TLS and AUTH when asked, all synchronously on a pool thread: a .NET socket that has done one
    /// asynchronous operation stays non-blocking, and its synchronous reads then wait through the runtime's epoll
    /// thread, one more hand-off per reply. Kept blocking, the reader's read is one system call.
    /// </summary>
    private async Task OpenAsync(CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_endpoint.ConnectTimeout);
        Stream stream;
        try
        {
            // Closing the socket is the only way to end a blocking connect or read early.
            using (timeout.Token.Register(socket.Dispose))
            {
                stream = await Task.Run(() => OpenBlocking(socket), CancellationToken.None);
            }
        }
        catch (Exception e) when (timeout.IsCancellationRequested && e is ObjectDisposedException or SocketException or IOException)
        {
            socket.Dispose();
            cancellationToken.ThrowIfCancellationRequested();
            throw new LeanConnectionException($"{_endpoint.Host}:{_endpoint.Port} did not connect within {_endpoint.ConnectTimeout.TotalMilliseconds:0} ms", e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        lock (_sendLock)
        {
            var link = new Link(socket, stream, ++_generation, polled: _poller is not null);
            _link = link;
            if (_poller is { } poller)
            {
                socket.Blocking = false;
                link.Slot = poller.Add(socket, this);
            }
            else
            {
                new Thread(() => ReadLoop(link)) { IsBackground = true, Name = "bench-lean-redis" }.Start();
            }
        }
    }

    private Stream OpenBlocking(Socket socket)
    {
        socket.Connect(_endpoint.Host, _endpoint.Port);
        Stream stream = new NetworkStream(socket, ownsSocket: true);
        if (_endpoint.Tls)
        {
            var tls = new SslStream(stream, leaveInnerStreamOpen: false);
            tls.AuthenticateAsClient(new SslClientAuthenticationOptions { TargetHost = _endpoint.Host });
            stream = tls;
        }

        if (_endpoint.Password is { Length: > 0 } password)
        {
            RespArgument[] auth = _endpoint.User is { Length: > 0 } user ? ["AUTH", user, password] : ["AUTH", password];
            var reply = Handshake(stream, auth);
            if (reply.Kind == RespKind.Error)
            {
                // The server's words (WRONGPASS, NOAUTH); never the password.
                throw new LeanServerException($"AUTH refused: {reply.Text}");
            }
        }

        return stream;
    }

    /// <summary>One request and its reply before the reader starts (AUTH).</summary>
    private static RespReply Handshake(Stream stream, RespArgument[] command)
    {
        var buffer = new byte[Resp.Size(command)];
        stream.Write(buffer, 0, Resp.Write(buffer, command));
        var received = new byte[1024];
        var length = 0;
        while (true)
        {
            var n = stream.Read(received, length, received.Length - length);
            if (n == 0)
            {
                throw new LeanConnectionException("the server closed the connection during AUTH");
            }

            length += n;
            if (Resp.TryParse(received.AsSpan(0, length), materialise: true, out var reply, out _))
            {
                return reply;
            }
        }
    }

    /// <summary>The reader of a connection without a poller: blocks on its socket and serves every reply that arrives.</summary>
    private void ReadLoop(Link link)
    {
        try
        {
            while (true)
            {
                link.MakeRoom();
                var read = link.Stream.Read(link.Buffer, link.End, link.Buffer.Length - link.End);
                if (read == 0)
                {
                    throw new LeanConnectionException($"{_endpoint.Host}:{_endpoint.Port} closed the connection");
                }

                link.End += read;
                if (!Serve(link))
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or InvalidDataException)
        {
            Failed(link, e);
        }
    }

    /// <summary>On the poller's thread: reads what the socket holds (it is non-blocking) and serves the replies.</summary>
    public void OnReadable()
    {
        if (Volatile.Read(ref _link) is not { Polled: true } link)
        {
            return;
        }

        try
        {
            while (true)
            {
                link.MakeRoom();
                var room = link.Buffer.Length - link.End;
                var read = link.Socket.Receive(link.Buffer.AsSpan(link.End, room), SocketFlags.None, out var error);
                if (error == SocketError.WouldBlock)
                {
                    return;
                }

                if (error != SocketError.Success)
                {
                    throw new SocketException((int)error);
                }

                if (read == 0)
                {
                    throw new LeanConnectionException($"{_endpoint.Host}:{_endpoint.Port} closed the connection");
                }

                link.End += read;
                // Less than the room: the socket is drained (the poller wakes again when more comes), one system call saved.
                if (!Serve(link) || read < room)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or InvalidDataException)
        {
            Failed(link, e);
        }
    }

    private void Failed(Link link, Exception e)
    {
        if (link.Generation == Volatile.Read(ref _generation))
        {
            Drop(e as LeanConnectionException ?? new LeanConnectionException($"reading from {_endpoint.Host}:{_endpoint.Port} failed: {e.Message}", e));
        }
    }

    /// <summary>Parses every whole reply received and completes its slot inline; false when the link was dropped meanwhile.</summary>
    private bool Serve(Link link)
    {
        while (link.Start < link.End && Peek() is { } pending)
        {
            if (!Resp.TryParse(link.Buffer.AsSpan(link.Start, link.End - link.Start), pending.Materialise, out var reply, out var consumed))
            {
                break;
            }

            link.Start += consumed;
            lock (_sendLock)
            {
                // Dropped meanwhile (a time-out): the slot was failed with the others; this link is done.
                if (link.Generation != _generation)
                {
                    return false;
                }

                _pending.Dequeue();
            }

            // Inline: the awaiting operation resumes here and records its latency on this thread.
            pending.Complete(reply);
        }

        if (link.Start == link.End)
        {
            link.Start = link.End = 0;
        }

        return true;
    }

    private PendingReply? Peek()
    {
        lock (_sendLock)
        {
            return _pending.TryPeek(out var pending) ? pending : null;
        }
    }

    /// <summary>The oldest reply is overdue: the server stopped answering (paused, overloaded). Drop the connection, as a client's time-out does.</summary>
    private void CheckTimeouts()
    {
        var overdue = false;
        lock (_sendLock)
        {
            overdue = _pending.TryPeek(out var oldest) && Stopwatch.GetElapsedTime(oldest.SentAt) > _endpoint.OperationTimeout;
        }

        if (overdue)
        {
            Drop(new TimeoutException($"no reply from {_endpoint.Host}:{_endpoint.Port} within {_endpoint.OperationTimeout.TotalMilliseconds:0} ms"));
        }
    }

    /// <summary>Closes the connection, fails every waiting operation with <paramref name="error"/> and starts reconnecting.</summary>
    private void Drop(Exception error)
    {
        PendingReply[] failed;
        lock (_sendLock)
        {
            if (_link is not { } link)
            {
                return;
            }

            _generation++;
            if (link.Polled)
            {
                _poller!.Remove(link.Slot, link.Socket);
            }

            link.Stream.Dispose();
            link.Socket.Dispose();
            _link = null;
            // A pipeline's slot is queued once per reply; it fails once.
            failed = [.. _pending.Distinct()];
            _pending.Clear();
            if (!_disposed && _reconnecting is not { IsCompleted: false })
            {
                _reconnecting = Task.Run(ReconnectAsync);
            }
        }

        // Off this thread: a drop may happen under a sender's lock, and failing a slot runs its operation's continuation.
        ThreadPool.UnsafeQueueUserWorkItem(_ =>
        {
            foreach (var pending in failed)
            {
                pending.Fail(error);
            }
        }, null);
    }

    private async Task ReconnectAsync()
    {
        while (!_disposed)
        {
            await Task.Delay(500);
            try
            {
                await OpenAsync(CancellationToken.None);
                return;
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or System.Security.Authentication.AuthenticationException or LeanServerException)
            {
                // Still down: commands keep failing fast as connection errors until it is back.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        await _watchdog.DisposeAsync();
        Drop(new ObjectDisposedException(nameof(LeanConnection)));
        if (_reconnecting is { } reconnecting)
        {
            await reconnecting.ConfigureAwait(false);
        }
    }

    /// <summary>One connected socket of the connection (a reconnect makes a new one): its stream, what it received and not yet served, its generation.</summary>
    private sealed class Link(Socket socket, Stream stream, int generation, bool polled)
    {
        public Socket Socket { get; } = socket;

        public Stream Stream { get; } = stream;

        public int Generation { get; } = generation;

        public bool Polled { get; } = polled;

        public byte[] Buffer { get; private set; } = new byte[64 * 1024];

        public int Start { get; set; }

        public int End { get; set; }

        /// <summary>The poller's registration, when <see cref="Polled"/>.</summary>
        public int Slot { get; set; }

        /// <summary>Room to read into: what is unparsed moves to the start, and the buffer grows when a reply fills it.</summary>
        public void MakeRoom()
        {
            if (End < Buffer.Length)
            {
                return;
            }

            if (Start > 0)
            {
                System.Buffer.BlockCopy(Buffer, Start, Buffer, 0, End - Start);
                End -= Start;
                Start = 0;
            }
            else
            {
                var bigger = Buffer;
                Array.Resize(ref bigger, Buffer.Length * 2);
                Buffer = bigger;
            }
        }
    }

    /// <summary>A reply slot: pooled, completed once by the reader after the replies it waits for (or failed by a drop), awaited once.</summary>
    private sealed class PendingReply : IValueTaskSource<RespReply>
    {
        private static readonly ConcurrentBag<PendingReply> Pool = [];
        private ManualResetValueTaskSourceCore<RespReply> _core;
        private int _remaining;
        private string? _firstError;

        public bool Materialise { get; private set; }

        public long SentAt { get; private set; }

        public ValueTask<RespReply> Task => new(this, _core.Version);

        public static PendingReply Rent(bool materialise, int replies = 1)
        {
            var pending = Pool.TryTake(out var pooled) ? pooled : new PendingReply();
            pending.Materialise = materialise;
            pending._remaining = replies;
            pending._firstError = null;
            pending.SentAt = Stopwatch.GetTimestamp();
            return pending;
        }

        /// <summary>One reply of those awaited (on the reader's thread, in order); the last one completes the slot.</summary>
        public void Complete(RespReply reply)
        {
            if (reply.Kind == RespKind.Error)
            {
                _firstError ??= reply.Text ?? "ERR";
            }

            if (--_remaining > 0)
            {
                return;
            }

            if (_firstError is { } error)
            {
                _core.SetException(new LeanServerException(error));
            }
            else
            {
                _core.SetResult(reply);
            }
        }

        public void Fail(Exception error) => _core.SetException(error);

        public RespReply GetResult(short token)
        {
            try
            {
                return _core.GetResult(token);
            }
            finally
            {
                _core.Reset();
                Pool.Add(this);
            }
        }

        public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _core.OnCompleted(continuation, state, token, flags);
    }
}
