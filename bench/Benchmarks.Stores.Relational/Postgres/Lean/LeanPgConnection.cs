using System.Buffers.Binary;
using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks.Sources;
using Benchmarks.Core.Sockets;

namespace Benchmarks.Stores.Relational.Postgres.Lean;

/// <summary>
/// One connection of the lean client: PostgreSQL's wire protocol (version 3.0) on one socket, with no layer between
/// the operation and the bytes. A call writes its messages into the send buffer (<see cref="Bind"/>, optionally after
/// <see cref="Begin"/>), then <see cref="RunAsync"/> sends them in one write and reads until the server is ready
/// again, walking each row's values without decoding them, as libpq keeps the bytes that came (what pgbench measures
/// against). Each statement is prepared on its first use on this connection (Parse sent with its first execution);
/// arguments and results travel as text, the parameters' types inferred by the server, as for Npgsql's text parameters.
/// One call at a time: the pool (<see cref="LeanPgPool"/>) hands a connection to one operation.
/// <para>
/// Read by a poller on Linux over plain TCP (<see cref="LeanPoller"/>: one thread per core waits on many sockets,
/// as pgbench's threads do, and completes each call inline where its reply is parsed); over TLS and elsewhere by
/// the runtime's asynchronous sockets. Connecting and the startup are synchronous, on a pool thread: a .NET socket
/// that has done one asynchronous operation stays registered with the runtime's epoll thread, which would then wake
/// for every reply beside the poller.
/// </para>
/// </summary>
internal sealed class LeanPgConnection : IDisposable, LeanPoller.IReadable, IValueTaskSource<long>, IValueTaskSource
{
    private const int ProtocolVersion3 = 3 << 16;
    private const int SslRequestCode = 80877103;

    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly LeanPgEndpoint _endpoint;
    private readonly bool _prepare;
    private readonly LeanPoller? _poller;
    private readonly Dictionary<LeanPgStatement, string> _prepared = [];

    /// <summary>Statements whose Parse is in flight, in order: each is prepared when its ParseComplete comes.</summary>
    private readonly Queue<(LeanPgStatement Statement, string Name)> _parsing = new();

    private int _slot;
    private byte[] _send = new byte[4096];
    private int _sendLength;
    private byte[] _receive = new byte[16 * 1024];
    private int _start;
    private int _end;

    /// <summary>ReadyForQuery messages the written messages will bring: one per Sync and per simple query.</summary>
    private int _readiesExpected;

    /// <summary>The transaction status of the last ReadyForQuery: 'I' idle, 'T' in a transaction, 'E' in a failed one.</summary>
    private byte _status = (byte)'I';

    /// <summary>The polled call's completion: set on the poller's thread, where the awaiting operation then resumes.</summary>
    private ManualResetValueTaskSourceCore<long> _completion = new() { RunContinuationsAsynchronously = false };

    /// <summary>1 when no polled call waits (none started, or its completion is set): a call completes once, whoever ends it.</summary>
    private int _completed = 1;

    /// <summary>The polled call's progress, kept between the poller's wake-ups.</summary>
    private int _readiesLeft;
    private long _rows;
    private LeanPgServerException? _error;

    /// <summary>The pool a call started by <see cref="RunThenReturn"/> goes back to when its outcome is read; null otherwise.</summary>
    private LeanPgPool? _returnTo;

    /// <summary>Set by whichever thread finds the connection unusable (the caller's, the poller's, the watchdog's).</summary>
    private volatile bool _broken;

    /// <summary>1 once the socket is closed (and out of the poller): by the watchdog, the poller's thread or the pool, whichever comes first.</summary>
    private int _closed;
    private volatile bool _timedOut;

    /// <summary><see cref="Environment.TickCount64"/> by which the call in flight must finish; 0 when none is. Read by the pool's watchdog.</summary>
    private long _deadline;

    private LeanPgConnection(Socket socket, Stream stream, LeanPgEndpoint endpoint, bool prepare, LeanPoller? poller)
    {
        _socket = socket;
        _stream = stream;
        _endpoint = endpoint;
        _prepare = prepare;
        _poller = poller;
    }

    /// <summary>Safe to hand to the next operation: the socket works and no transaction is open.</summary>
    public bool IsReusable => !_broken && _status == (byte)'I' && _readiesExpected == 0;

    /// <summary>When capturing (tests), each row's values as the text the server sent; null values as null.</summary>
    internal List<string?[]>? CapturedRows { get; set; }

    /// <summary>Connects and starts a session; with a <paramref name="poller"/> (plain TCP) its replies are read there.</summary>
    public static async Task<LeanPgConnection> ConnectAsync(LeanPgEndpoint endpoint, bool prepare, LeanPoller? poller, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(endpoint.ConnectTimeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            // Closing the socket is the only way to end a blocking connect or read early.
            using (timeout.Token.Register(socket.Dispose))
            {
                return await Task.Run(() => Open(socket, endpoint, prepare, poller), CancellationToken.None);
            }
        }
        catch (Exception e) when (timeout.IsCancellationRequested && e is ObjectDisposedException or SocketException or IOException)
        {
            socket.Dispose();
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException(string.Create(CultureInfo.InvariantCulture,
                $"{endpoint.Host}:{endpoint.Port} did not accept a session within {endpoint.ConnectTimeout.TotalMilliseconds:0} ms"));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static LeanPgConnection Open(Socket socket, LeanPgEndpoint endpoint, bool prepare, LeanPoller? poller)
    {
        socket.Connect(endpoint.Host, endpoint.Port);
        Stream stream = new NetworkStream(socket, ownsSocket: true);
        var tls = endpoint.Tls != LeanPgTls.Disable && NegotiateTls(ref stream, endpoint);
        var connection = new LeanPgConnection(socket, stream, endpoint, prepare, tls ? null : poller);
        connection.Start();
        if (connection._poller is { } polled)
        {
            socket.Blocking = false;
            connection._slot = polled.Add(socket, connection);
        }

        return connection;
    }

    /// <summary>Opens a transaction ahead of the next <see cref="Bind"/>, in the same write (as Npgsql sends BEGIN).</summary>
    public void Begin() => SimpleQuery("BEGIN TRANSACTION ISOLATION LEVEL READ COMMITTED");

    /// <summary>Ends the open transaction: <see cref="RunAsync"/> sends the COMMIT.</summary>
    public void Commit() => SimpleQuery("COMMIT");

    /// <summary>Writes one execution of <paramref name="statement"/> with <paramref name="arguments"/> (as text; null is NULL), every row asked for.</summary>
    public void Bind(LeanPgStatement statement, ReadOnlySpan<PgText> arguments)
    {
        var name = "";
        if (_prepare && _prepared.TryGetValue(statement, out var prepared))
        {
            name = prepared;
        }
        else
        {
            if (_prepare)
            {
                name = string.Create(CultureInfo.InvariantCulture, $"bench{_prepared.Count + _parsing.Count}");
                _parsing.Enqueue((statement, name));
            }

            // Parse: its name, the text, and no parameter types (the server infers them).
            var parse = BeginMessage((byte)'P');
            WriteCString(name);
            WriteCString(statement.Text);
            WriteInt16(0);
            EndMessage(parse);
        }

        // Bind to the unnamed portal: arguments in text (the format list left empty), results in text.
        var bind = BeginMessage((byte)'B');
        WriteByte(0);
        WriteCString(name);
        WriteInt16(0);
        WriteInt16((short)statement.Order.Length);
        foreach (var argument in statement.Order)
        {
            var value = arguments[argument];
            if (value.IsNull)
            {
                WriteInt32(-1);
                continue;
            }

            Reserve(4 + value.MaxByteCount);
            var written = value.WriteUtf8(_send.AsSpan(_sendLength + 4));
            BinaryPrimitives.WriteInt32BigEndian(_send.AsSpan(_sendLength), written);
            _sendLength += 4 + written;
        }

        WriteInt16(0);
        EndMessage(bind);

        // Execute the unnamed portal to its last row, then Sync: the server answers ReadyForQuery.
        var execute = BeginMessage((byte)'E');
        WriteByte(0);
        WriteInt32(0);
        EndMessage(execute);
        EndMessage(BeginMessage((byte)'S'));
        _readiesExpected++;
    }

    /// <summary>
    /// Sends what was written and reads every answer up to the last ReadyForQuery; returns the rows read. A statement's
    /// error is thrown once the server is ready again (the connection stays usable); a broken or overdue connection is
    /// thrown as such and is not reused.
    /// </summary>
    public ValueTask<long> RunAsync()
    {
        if (_broken)
        {
            _sendLength = 0;
            _readiesExpected = 0;
            _parsing.Clear();
            return ValueTask.FromException<long>(new LeanPgConnectionException($"the connection to {_endpoint} is closed"));
        }

        return _poller is null ? RunOnStreamAsync() : new ValueTask<long>(this, StartPolled());
    }

    /// <summary>
    /// <see cref="RunAsync"/> for an operation that only waits for the outcome: the connection goes back to
    /// <paramref name="pool"/> when the outcome is read. A polled call then has no asynchronous method between the
    /// operation and the poller that completes it (each one costs its state machine's resumption on every call).
    /// </summary>
    public ValueTask RunThenReturn(LeanPgPool pool)
    {
        if (_poller is null || _broken)
        {
            return RunThenReturnAsync(pool);
        }

        _returnTo = pool;
        return new ValueTask(this, StartPolled());
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask RunThenReturnAsync(LeanPgPool pool)
    {
        try
        {
            await RunAsync();
        }
        finally
        {
            pool.Return(this);
        }
    }

    /// <summary>
    /// The polled call: its state set, its messages sent by this thread (one system call), and a completion the poller
    /// sets when the last ReadyForQuery is parsed; returns the completion's token.
    /// </summary>
    private short StartPolled()
    {
        _completion.Reset();
        StartCall();
        // From here the poller may complete the call, even before the send below returns.
        Volatile.Write(ref _completed, 0);
        try
        {
            SendAll(_send.AsSpan(0, _sendLength));
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or TimeoutException)
        {
            Fail(e);
        }
        finally
        {
            _sendLength = 0;
        }

        return _completion.Version;
    }

    /// <summary>The socket is non-blocking: what the kernel cannot take now is sent once it can (a full send buffer means the server is not reading).</summary>
    private void SendAll(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            var sent = _socket.Send(data, SocketFlags.None, out var error);
            if (error == SocketError.WouldBlock)
            {
                if (!_socket.Poll(_endpoint.CommandTimeout, SelectMode.SelectWrite))
                {
                    _timedOut = true;
                    throw new TimeoutException("the server took no data");
                }

                continue;
            }

            data = error == SocketError.Success ? data[sent..] : throw new SocketException((int)error);
        }
    }

    /// <summary>On the poller's thread: reads what the socket holds and serves it; the call completes here, and its operation resumes here.</summary>
    public void OnReadable()
    {
        try
        {
            // Until the socket is drained: a session the server ended is read to its end, and leaves the poller there.
            while (true)
            {
                var room = FreeSpace();
                var read = _socket.Receive(room.Span, SocketFlags.None, out var error);
                if (error == SocketError.WouldBlock)
                {
                    return;
                }

                Filled(error == SocketError.Success ? read : throw new SocketException((int)error));
                ServePolled();
                // Less than the room: the socket is drained (the poller wakes again when more comes), one system call saved.
                if (read < room.Length)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            Fail(e);
        }
    }

    /// <summary>Serves what was received, completing the call in flight when its answers are all in.</summary>
    private void ServePolled()
    {
        while (ServeMessages())
        {
            Complete(null);
        }
    }

    /// <summary>The call's state before its messages go out: the answers it waits for, none counted yet.</summary>
    private void StartCall()
    {
        _readiesLeft = _readiesExpected;
        _readiesExpected = 0;
        _rows = 0;
        _error = null;
        Volatile.Write(ref _deadline, Environment.TickCount64 + (long)_endpoint.CommandTimeout.TotalMilliseconds);
    }

    /// <summary>
    /// Every whole message received, for the call in flight; true when the call's last ReadyForQuery was just parsed
    /// (the messages after it wait for the next call). A message with no call in flight is the server's own: an
    /// error then ends the session (shutdown, a terminated backend), a notice is passed over.
    /// </summary>
    private bool ServeMessages()
    {
        while (TryTake(out var type, out var body))
        {
            switch (type)
            {
                case (byte)'D':
                    Walk(_receive.AsSpan(body.Start, body.Length));
                    _rows++;
                    break;
                case (byte)'1' when _parsing.TryDequeue(out var parsed):
                    // The server holds the statement now, whatever later happens in this call.
                    _prepared[parsed.Statement] = parsed.Name;
                    break;
                case (byte)'E':
                    _broken |= _readiesLeft == 0;
                    _error ??= ServerError(_receive.AsSpan(body.Start, body.Length));
                    break;
                case (byte)'Z':
                    _status = _receive[body.Start];
                    if (_readiesLeft > 0 && --_readiesLeft == 0)
                    {
                        return true;
                    }

                    break;
            }
        }

        return false;
    }

    /// <summary>What a call that broke its connection throws: a timeout when the watchdog closed it, else the server's last word or the socket's.</summary>
    private Exception Failure(Exception e) => _timedOut
        ? new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"{_endpoint} did not answer within {_endpoint.CommandTimeout.TotalSeconds:0.#} s; the connection was closed"))
        : (Exception?)_error ?? e as LeanPgConnectionException ?? new LeanPgConnectionException($"{_endpoint}: {e.Message}", e);

    /// <summary>Ends the call in flight once: with its rows, its statement's error, or <paramref name="failure"/>.</summary>
    private void Complete(Exception? failure)
    {
        if (Interlocked.Exchange(ref _completed, 1) != 0)
        {
            return;
        }

        Volatile.Write(ref _deadline, 0);
        _parsing.Clear();
        if (failure is not null)
        {
            _completion.SetException(failure);
        }
        else if (_error is { } error)
        {
            _completion.SetException(error);
        }
        else
        {
            // Inline: the awaiting operation resumes on this thread, records its latency and may start its next call here.
            _completion.SetResult(_rows);
        }
    }

    /// <summary>The polled connection is gone (closed, reset, overdue): it leaves the poller and its call fails.</summary>
    private void Fail(Exception e)
    {
        _broken = true;
        Close();
        Complete(Failure(e));
    }

    public long GetResult(short token) => _completion.GetResult(token);

    /// <summary>The outcome of a call started by <see cref="RunThenReturn"/>: read once, by its awaiter, after which the connection is the pool's again.</summary>
    void IValueTaskSource.GetResult(short token)
    {
        var pool = _returnTo!;
        _returnTo = null;
        try
        {
            _completion.GetResult(token);
        }
        finally
        {
            pool.Return(this);
        }
    }

    public ValueTaskSourceStatus GetStatus(short token) => _completion.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _completion.OnCompleted(continuation, state, token, flags);

    /// <summary>The call over the runtime's asynchronous sockets (TLS, or no poller).</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<long> RunOnStreamAsync()
    {
        StartCall();
        try
        {
            await _stream.WriteAsync(_send.AsMemory(0, _sendLength));
            _sendLength = 0;
            while (!ServeMessages())
            {
                // Read here rather than through a method of its own: one asynchronous layer fewer on every call.
                Filled(await _stream.ReadAsync(FreeSpace()));
            }
        }
        catch (Exception e)
        {
            // Whatever broke the exchange, where the connection stands in it is unknown: it is not used again.
            _broken = true;
            throw Failure(e);
        }
        finally
        {
            Volatile.Write(ref _deadline, 0);
            _sendLength = 0;
            // A Parse the server skipped after an earlier error in the same call prepared nothing.
            _parsing.Clear();
        }

        return _error is null ? _rows : throw _error;
    }

    /// <summary>Closes an overdue call's socket (from the pool's watchdog): the call fails as a timeout.</summary>
    internal void AbortIfOverdue(long now)
    {
        var deadline = Volatile.Read(ref _deadline);
        if (deadline != 0 && now > deadline)
        {
            _timedOut = true;
            if (_poller is null)
            {
                // The stream's pending read fails and its call throws.
                _socket.Dispose();
            }
            else
            {
                Fail(new TimeoutException());
            }
        }
    }

    public void Dispose()
    {
        if (!_broken)
        {
            try
            {
                // Terminate, so the server ends the session now rather than when it notices the socket (through TLS when the session is encrypted).
                ReadOnlySpan<byte> terminate = [(byte)'X', 0, 0, 0, 4];
                if (_stream is SslStream tls)
                {
                    tls.Write(terminate);
                }
                else
                {
                    _socket.Send(terminate, SocketFlags.None);
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
            {
                // Already gone: nothing to tell the server.
            }
        }

        _broken = true;
        Close();
    }

    /// <summary>Out of the poller before the socket closes (a stale event then finds nothing), once.</summary>
    private void Close()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0)
        {
            _poller?.Remove(_slot, _socket);
            _stream.Dispose();
            _socket.Dispose();
        }
    }

    /// <summary>Asks for TLS; true when the session is encrypted (<paramref name="stream"/> is then the TLS stream).</summary>
    private static bool NegotiateTls(ref Stream stream, LeanPgEndpoint endpoint)
    {
        Span<byte> request = stackalloc byte[8];
        BinaryPrimitives.WriteInt32BigEndian(request, 8);
        BinaryPrimitives.WriteInt32BigEndian(request[4..], SslRequestCode);
        stream.Write(request);
        var answer = stream.ReadByte();
        if (answer == 'N')
        {
            return endpoint.Tls == LeanPgTls.Prefer
                ? false
                : throw new LeanPgConnectionException($"{endpoint} does not accept TLS, which the connection string's SSL Mode requires");
        }

        if (answer != 'S')
        {
            throw new LeanPgConnectionException($"{endpoint} did not answer the request for TLS");
        }

        var tls = new SslStream(stream, leaveInnerStreamOpen: false);
        tls.AuthenticateAsClient(new SslClientAuthenticationOptions
        {
            TargetHost = endpoint.Host,
            // libpq's prefer and require encrypt without checking whom; verify-ca checks the chain; verify-full the host too.
            RemoteCertificateValidationCallback = (_, _, _, errors) => endpoint.Tls switch
            {
                LeanPgTls.VerifyFull => errors == SslPolicyErrors.None,
                LeanPgTls.VerifyCa => (errors & ~SslPolicyErrors.RemoteCertificateNameMismatch) == SslPolicyErrors.None,
                _ => true,
            },
        });
        stream = tls;
        return true;
    }

    /// <summary>The startup message, the password exchange the server asks for, and its parameters up to ReadyForQuery (blocking).</summary>
    private void Start()
    {
        _sendLength = 4;
        WriteInt32(ProtocolVersion3);
        foreach (var (key, value) in (ReadOnlySpan<(string, string)>)[("user", _endpoint.User), ("database", _endpoint.Database), ("application_name", "bench"), ("client_encoding", "UTF8")])
        {
            WriteCString(key);
            WriteCString(value);
        }

        WriteByte(0);
        BinaryPrimitives.WriteInt32BigEndian(_send, _sendLength);
        ScramSha256? scram = null;
        while (true)
        {
            _stream.Write(_send, 0, _sendLength);
            _sendLength = 0;
            while (_sendLength == 0)
            {
                if (!TryTake(out var type, out var at))
                {
                    Filled(_stream.Read(FreeSpace().Span));
                    continue;
                }

                var body = _receive.AsSpan(at.Start, at.Length);
                switch (type)
                {
                    case (byte)'E':
                        throw ServerError(body);
                    case (byte)'Z':
                        _status = body[0];
                        return;
                    case (byte)'R':
                        scram = Authenticate(BinaryPrimitives.ReadInt32BigEndian(body), body[4..], scram);
                        break;
                }
            }
        }
    }

    /// <summary>Answers one authentication request by writing the reply (none for "authenticated" and the final SCRAM message).</summary>
    private ScramSha256? Authenticate(int request, ReadOnlySpan<byte> data, ScramSha256? scram)
    {
        const int Ok = 0, Cleartext = 3, Md5 = 5, Sasl = 10, SaslContinue = 11, SaslFinal = 12;
        if (request == Ok)
        {
            return scram;
        }

        var password = _endpoint.Password
            ?? throw new LeanPgConnectionException($"{_endpoint} asks for a password and the connection string gives none (Password=..., or PGPASSWORD)");
        switch (request)
        {
            case Cleartext:
                PasswordMessage(password);
                return scram;
            case Md5:
                PasswordMessage(Md5Answer(password, _endpoint.User, data[..4]));
                return scram;
            case Sasl:
                var mechanisms = Encoding.ASCII.GetString(data).Split('\0');
                if (!mechanisms.Contains(ScramSha256.Mechanism))
                {
                    throw new LeanPgConnectionException($"{_endpoint} offers {string.Join(", ", mechanisms.Where(m => m.Length > 0))}; the lean client speaks {ScramSha256.Mechanism} (use client: npgsql)");
                }

                scram = new ScramSha256(password);
                var first = Encoding.UTF8.GetBytes(scram.ClientFirst);
                var initial = BeginMessage((byte)'p');
                WriteCString(ScramSha256.Mechanism);
                WriteInt32(first.Length);
                WriteBytes(first);
                EndMessage(initial);
                return scram;
            case SaslContinue when scram is not null:
                var response = BeginMessage((byte)'p');
                WriteBytes(Encoding.UTF8.GetBytes(scram.ClientFinal(Encoding.UTF8.GetString(data))));
                EndMessage(response);
                return scram;
            case SaslFinal when scram is not null:
                scram.VerifyServerFinal(Encoding.UTF8.GetString(data));
                return scram;
            default:
                throw new LeanPgConnectionException(string.Create(CultureInfo.InvariantCulture,
                    $"{_endpoint} asks for authentication method {request} (Kerberos, GSSAPI or SSPI), which the lean client does not speak (use client: npgsql)"));
        }
    }

    /// <summary>PostgreSQL's MD5 answer: "md5" and hex(md5(hex(md5(password + user)) + salt)).</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5351", Justification = "The server chose MD5 (its pg_hba.conf); the protocol fixes the algorithm.")]
    internal static string Md5Answer(string password, string user, ReadOnlySpan<byte> salt)
    {
        var inner = Encoding.ASCII.GetBytes(Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(password + user))));
        return "md5" + Convert.ToHexStringLower(MD5.HashData([.. inner, .. salt]));
    }

    private void PasswordMessage(string text)
    {
        var message = BeginMessage((byte)'p');
        WriteCString(text);
        EndMessage(message);
    }

    private void SimpleQuery(string sql)
    {
        var query = BeginMessage((byte)'Q');
        WriteCString(sql);
        EndMessage(query);
        _readiesExpected++;
    }

    /// <summary>The SQLSTATE and message of an ErrorResponse: fields of a one-byte code and a string each.</summary>
    private static LeanPgServerException ServerError(ReadOnlySpan<byte> fields)
    {
        string state = "XX000", message = "an error without a message";
        var at = 0;
        while (at < fields.Length && fields[at] != 0)
        {
            var length = fields[(at + 1)..].IndexOf((byte)0);
            var value = fields.Slice(at + 1, length);
            switch (fields[at])
            {
                case (byte)'C':
                    state = Encoding.ASCII.GetString(value);
                    break;
                case (byte)'M':
                    message = Encoding.UTF8.GetString(value);
                    break;
            }

            at += length + 2;
        }

        return new LeanPgServerException(state, message);
    }

    /// <summary>Every value of a DataRow passed over by its length (or kept as text when capturing).</summary>
    private void Walk(ReadOnlySpan<byte> row)
    {
        var columns = BinaryPrimitives.ReadInt16BigEndian(row);
        var captured = CapturedRows is null ? null : new string?[columns];
        var at = 2;
        for (var i = 0; i < columns; i++)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(row[at..]);
            at += 4;
            if (length > 0)
            {
                if (captured is not null)
                {
                    captured[i] = Encoding.UTF8.GetString(row.Slice(at, length));
                }

                at += length;
            }
            else if (captured is not null && length == 0)
            {
                captured[i] = "";
            }
        }

        CapturedRows?.Add(captured!);
    }

    /// <summary>The next whole message in the receive buffer: its type and where its body lies.</summary>
    private bool TryTake(out byte type, out (int Start, int Length) body)
    {
        var buffered = _end - _start;
        if (buffered >= 5)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(_receive.AsSpan(_start + 1));
            if (buffered >= length + 1)
            {
                type = _receive[_start];
                body = (_start + 5, length - 4);
                _start += length + 1;
                return true;
            }

            if (length + 1 > _receive.Length)
            {
                // A row larger than the buffer: room for the whole message, kept for the connection's later rows.
                Array.Resize(ref _receive, Math.Max(length + 1, _receive.Length * 2));
            }
        }

        type = 0;
        body = default;
        return false;
    }

    /// <summary>The receive buffer's room after what is buffered, the unread bytes moved to its start first.</summary>
    private Memory<byte> FreeSpace()
    {
        if (_start > 0)
        {
            _receive.AsSpan(_start, _end - _start).CopyTo(_receive);
            _end -= _start;
            _start = 0;
        }

        return _receive.AsMemory(_end);
    }

    private void Filled(int read)
    {
        _end += read > 0 ? read : throw new LeanPgConnectionException($"{_endpoint} closed the connection");
    }

    private void Reserve(int bytes)
    {
        if (_sendLength + bytes > _send.Length)
        {
            Array.Resize(ref _send, Math.Max(_sendLength + bytes, _send.Length * 2));
        }
    }

    private int BeginMessage(byte type)
    {
        Reserve(5);
        _send[_sendLength] = type;
        _sendLength += 5;
        return _sendLength - 4;
    }

    /// <summary>Writes the length of the message whose length field is at <paramref name="at"/>: itself and what follows.</summary>
    private void EndMessage(int at) => BinaryPrimitives.WriteInt32BigEndian(_send.AsSpan(at), _sendLength - at);

    private void WriteByte(byte value)
    {
        Reserve(1);
        _send[_sendLength++] = value;
    }

    private void WriteInt16(short value)
    {
        Reserve(2);
        BinaryPrimitives.WriteInt16BigEndian(_send.AsSpan(_sendLength), value);
        _sendLength += 2;
    }

    private void WriteInt32(int value)
    {
        Reserve(4);
        BinaryPrimitives.WriteInt32BigEndian(_send.AsSpan(_sendLength), value);
        _sendLength += 4;
    }

    private void WriteBytes(ReadOnlySpan<byte> value)
    {
        Reserve(value.Length);
        value.CopyTo(_send.AsSpan(_sendLength));
        _sendLength += value.Length;
    }

    private void WriteCString(string value)
    {
        Reserve(Encoding.UTF8.GetMaxByteCount(value.Length) + 1);
        _sendLength += Encoding.UTF8.GetBytes(value, _send.AsSpan(_sendLength));
        _send[_sendLength++] = 0;
    }
}
