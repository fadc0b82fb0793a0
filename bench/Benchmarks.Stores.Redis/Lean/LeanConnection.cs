using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;
using System.Threading.Tasks.Sources;

namespace Benchmarks.Stores.Redis.Lean;

/// <summary>Where and how a lean connection connects: host, port, TLS, AUTH, timeouts.</summary>
internal sealed record LeanEndpoint(string Host, int Port, bool Tls, string? User, string? Password, TimeSpan ConnectTimeout, TimeSpan OperationTimeout);

/// <summary>The server said no (a RESP error reply): its message, e.g. "WRONGTYPE ..." or "ERR ...".</summary>
internal sealed class LeanServerException(string message) : Exception(message);

/// <summary>The connection is down (closed, reset, timed out and dropped, or not yet reconnected).</summary>
internal sealed class LeanConnectionException(string message, Exception? inner = null) : IOException(message, inner);

/// <summary>
/// One Redis connection with as few thread hand-offs as RESP allows. A command is written by the thread that issues
/// it, synchronously, under a lock that also queues its reply slot (so replies and slots stay in the same order); a
/// thread of the connection's own blocks on the socket, parses every reply that arrived and completes its slot
/// inline: the operation's continuation (which records its latency) runs on that reader thread, never through the
/// thread pool. A reply not back within the operation time-out drops the connection (every waiting operation fails
/// with a time-out); a dropped connection fails new commands at once and reconnects in the background twice a second.
/// </summary>
internal sealed class LeanConnection : IAsyncDisposable
{
    private readonly LeanEndpoint _endpoint;
    private readonly object _sendLock = new();
    private readonly Queue<PendingReply> _pending = new();
    private readonly Timer _watchdog;
    private byte[] _sendBuffer = new byte[4096];
    private Stream? _stream;
    private Socket? _socket;
    private int _generation;
    private Task? _reconnecting;
    private volatile bool _disposed;

    private LeanConnection(LeanEndpoint endpoint)
    {
        _endpoint = endpoint;
        _watchdog = new Timer(_ => CheckTimeouts(), null, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(100));
    }

    public static async Task<LeanConnection> ConnectAsync(LeanEndpoint endpoint, CancellationToken cancellationToken)
    {
        var connection = new LeanConnection(endpoint);
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
            var stream = _stream ?? throw Down();
            var size = Resp.Size(command);
            EnsureBuffer(size);
            var written = Resp.Write(_sendBuffer, command);
            _pending.Enqueue(pending);
            Write(stream, written);
        }

        return pending.Task;
    }

    /// <summary>Sends <paramref name="commands"/> in one write (a pipeline); each reply completes its own slot, returned in <paramref name="replies"/>.</summary>
    public void SendBatch(RespArgument[][] commands, ValueTask<RespReply>[] replies)
    {
        lock (_sendLock)
        {
            var stream = _stream ?? throw Down();
            var at = 0;
            for (var i = 0; i < commands.Length; i++)
            {
                var arguments = commands[i];
                EnsureBuffer(at + Resp.Size(arguments), keep: at);
                at += Resp.Write(_sendBuffer.AsSpan(at), arguments);
                var pending = PendingReply.Rent(materialise: false);
                _pending.Enqueue(pending);
                replies[i] = pending.Task;
            }

            Write(stream, at);
        }
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
    private void Write(Stream stream, int length)
    {
        try
        {
            stream.Write(_sendBuffer, 0, length);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            Drop(new LeanConnectionException($"writing to {_endpoint.Host}:{_endpoint.Port} failed: {e.Message}", e));
            throw Down();
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
            _socket = socket;
            _stream = stream;
            var generation = ++_generation;
            new Thread(() => ReadLoop(stream, generation)) { IsBackground = true, Name = "bench-lean-redis" }.Start();
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

    private void ReadLoop(Stream stream, int generation)
    {
        var buffer = new byte[64 * 1024];
        var start = 0;
        var end = 0;
        try
        {
            while (true)
            {
                if (end == buffer.Length)
                {
                    // A reply larger than what is free: keep what is unparsed at the start, grow if it fills the buffer.
                    if (start > 0)
                    {
                        Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                        end -= start;
                        start = 0;
                    }
                    else
                    {
                        Array.Resize(ref buffer, buffer.Length * 2);
                    }
                }

                var read = stream.Read(buffer, end, buffer.Length - end);
                if (read == 0)
                {
                    throw new LeanConnectionException($"{_endpoint.Host}:{_endpoint.Port} closed the connection");
                }

                end += read;
                while (start < end && Peek() is { } pending)
                {
                    if (!Resp.TryParse(buffer.AsSpan(start, end - start), pending.Materialise, out var reply, out var consumed))
                    {
                        break;
                    }

                    start += consumed;
                    lock (_sendLock)
                    {
                        // Dropped meanwhile (a time-out): the slot was failed with the others; this reader is done.
                        if (generation != _generation)
                        {
                            return;
                        }

                        _pending.Dequeue();
                    }

                    // Inline: the awaiting operation resumes here and records its latency on this thread.
                    pending.Complete(reply);
                }

                if (start == end)
                {
                    start = end = 0;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or InvalidDataException)
        {
            if (generation == Volatile.Read(ref _generation))
            {
                Drop(e as LeanConnectionException ?? new LeanConnectionException($"reading from {_endpoint.Host}:{_endpoint.Port} failed: {e.Message}", e));
            }
        }
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
            if (_stream is null)
            {
                return;
            }

            _generation++;
            _stream.Dispose();
            _socket?.Dispose();
            _stream = null;
            _socket = null;
            failed = [.. _pending];
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

    /// <summary>A reply slot: pooled, completed once by the reader (or failed by a drop), awaited once.</summary>
    private sealed class PendingReply : IValueTaskSource<RespReply>
    {
        private static readonly ConcurrentBag<PendingReply> Pool = [];
        private ManualResetValueTaskSourceCore<RespReply> _core;

        public bool Materialise { get; private set; }

        public long SentAt { get; private set; }

        public ValueTask<RespReply> Task => new(this, _core.Version);

        public static PendingReply Rent(bool materialise)
        {
            var pending = Pool.TryTake(out var pooled) ? pooled : new PendingReply();
            pending.Materialise = materialise;
            pending.SentAt = Stopwatch.GetTimestamp();
            return pending;
        }

        public void Complete(RespReply reply)
        {
            if (reply.Kind == RespKind.Error)
            {
                _core.SetException(new LeanServerException(reply.Text ?? "ERR"));
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
