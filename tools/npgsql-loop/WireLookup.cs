using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using Npgsql;

/// <summary>
/// The registry lookup over PostgreSQL's wire protocol with no client library: the floor of what a .NET client on the
/// same sockets (the runtime's asynchronous engine; tools/compare-server-count.sh runs it with completions inline and the
/// other runtime settings bench runs with) spends per lookup, so that
/// what Npgsql costs above it is a measured figure. The statement is prepared once per connection (Parse); each call
/// sends Bind, Execute and Sync in one write and reads until ReadyForQuery. Values are walked, not decoded: libpq (and so
/// pgbench) keeps them as the bytes that came. Trust authentication only: it runs against the comparison scripts'
/// throwaway clusters (tools/local-postgres.sh), not a server that asks for a password.
/// </summary>
internal sealed class WireLookup : IAsyncDisposable
{
    private const string StatementName = "lookup";
    private readonly Socket _socket;
    private readonly byte[] _receive = new byte[64 * 1024];
    private readonly byte[] _send = new byte[4096];
    private int _start;
    private int _end;

    private WireLookup(Socket socket) => _socket = socket;

    public static async Task<WireLookup> ConnectAsync(string connectionString, string statement)
    {
        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(settings.Host!, settings.Port);
        var connection = new WireLookup(socket);
        await connection.StartAsync(settings.Username ?? "postgres", settings.Database ?? "postgres");
        await connection.PrepareAsync(statement);
        return connection;
    }

    /// <summary>One lookup: returns the rows it read.</summary>
    public async ValueTask<int> LookupAsync(string name, string version)
    {
        var length = 0;
        length += Bind(_send.AsSpan(length), name, version);
        length += Message(_send.AsSpan(length), (byte)'E', [0, 0, 0, 0, 0]); // the unnamed portal, every row
        length += Message(_send.AsSpan(length), (byte)'S', []);
        await SendAsync(length);
        var rows = 0;
        while (true)
        {
            var (type, body) = await NextMessageAsync();
            switch (type)
            {
                case (byte)'D':
                    Walk(body.Span);
                    rows++;
                    break;
                case (byte)'E':
                    throw new InvalidOperationException("PostgreSQL: " + Describe(body.Span));
                case (byte)'Z':
                    return rows;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        var length = Message(_send, (byte)'X', []);
        await SendAsync(length);
        _socket.Dispose();
    }

    private async Task StartAsync(string user, string database)
    {
        var parameters = Encoding.UTF8.GetBytes($"user\0{user}\0database\0{database}\0application_name\0wire-lookup\0\0");
        BinaryPrimitives.WriteInt32BigEndian(_send, 8 + parameters.Length);
        BinaryPrimitives.WriteInt32BigEndian(_send.AsSpan(4), 3 << 16); // protocol 3.0
        parameters.CopyTo(_send, 8);
        await SendAsync(8 + parameters.Length);
        await ReadUntilReadyAsync(authenticating: true);
    }

    private async Task PrepareAsync(string statement)
    {
        var text = Encoding.UTF8.GetBytes(statement);
        var body = new byte[StatementName.Length + 1 + text.Length + 1 + 2];
        Encoding.ASCII.GetBytes(StatementName, body);
        text.CopyTo(body, StatementName.Length + 1);
        // No parameter types given (the trailing 0): the server infers them from the statement, as it does for Npgsql's text parameters.
        var length = Message(_send, (byte)'P', body);
        length += Message(_send.AsSpan(length), (byte)'S', []);
        await SendAsync(length);
        await ReadUntilReadyAsync(authenticating: false);
    }

    private async Task ReadUntilReadyAsync(bool authenticating)
    {
        while (true)
        {
            var (type, body) = await NextMessageAsync();
            if (type == 'R' && authenticating && BinaryPrimitives.ReadInt32BigEndian(body.Span) != 0)
            {
                throw new InvalidOperationException("the server asks for a password; this reference client speaks trust authentication only");
            }

            if (type == 'E')
            {
                throw new InvalidOperationException("PostgreSQL: " + Describe(body.Span));
            }

            if (type == 'Z')
            {
                return;
            }
        }
    }

    /// <summary>Bind of the prepared statement to the unnamed portal: two text parameters, every column in text.</summary>
    private static int Bind(Span<byte> destination, string name, string version)
    {
        destination[0] = (byte)'B';
        var at = 5;
        destination[at++] = 0; // the unnamed portal
        at += Encoding.ASCII.GetBytes(StatementName, destination[at..]);
        destination[at++] = 0;
        BinaryPrimitives.WriteInt16BigEndian(destination[at..], 0); // parameters in the default (text) format
        at += 2;
        BinaryPrimitives.WriteInt16BigEndian(destination[at..], 2);
        at += 2;
        foreach (var value in (ReadOnlySpan<string>)[name, version])
        {
            var written = Encoding.UTF8.GetBytes(value, destination[(at + 4)..]);
            BinaryPrimitives.WriteInt32BigEndian(destination[at..], written);
            at += 4 + written;
        }

        BinaryPrimitives.WriteInt16BigEndian(destination[at..], 0); // results in the default (text) format
        at += 2;
        BinaryPrimitives.WriteInt32BigEndian(destination[1..], at - 1);
        return at;
    }

    private static int Message(Span<byte> destination, byte type, ReadOnlySpan<byte> body)
    {
        destination[0] = type;
        BinaryPrimitives.WriteInt32BigEndian(destination[1..], 4 + body.Length);
        body.CopyTo(destination[5..]);
        return 5 + body.Length;
    }

    /// <summary>Every value of a DataRow: its length, then its bytes, passed over.</summary>
    private static void Walk(ReadOnlySpan<byte> row)
    {
        var columns = BinaryPrimitives.ReadInt16BigEndian(row);
        var at = 2;
        for (var i = 0; i < columns; i++)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(row[at..]);
            at += 4 + Math.Max(0, length);
        }
    }

    private static string Describe(ReadOnlySpan<byte> error)
    {
        // Fields of one byte's type and a string each; M is the message.
        var at = 0;
        while (at < error.Length && error[at] != 0)
        {
            var end = error[(at + 1)..].IndexOf((byte)0) + at + 1;
            if (error[at] == 'M')
            {
                return Encoding.UTF8.GetString(error[(at + 1)..end]);
            }

            at = end + 1;
        }

        return "an error without a message";
    }

    private async ValueTask SendAsync(int length)
    {
        var sent = 0;
        while (sent < length)
        {
            sent += await _socket.SendAsync(_send.AsMemory(sent, length - sent), SocketFlags.None);
        }
    }

    /// <summary>The next whole message from the receive buffer, reading from the socket when it holds none.</summary>
    private async ValueTask<(byte Type, ReadOnlyMemory<byte> Body)> NextMessageAsync()
    {
        while (true)
        {
            var buffered = _end - _start;
            if (buffered >= 5)
            {
                var length = BinaryPrimitives.ReadInt32BigEndian(_receive.AsSpan(_start + 1));
                if (length + 1 > _receive.Length)
                {
                    throw new InvalidOperationException($"a message of {length} bytes is larger than this reference client's buffer");
                }

                if (buffered >= length + 1)
                {
                    var type = _receive[_start];
                    var body = _receive.AsMemory(_start + 5, length - 4);
                    _start += length + 1;
                    return (type, body);
                }
            }

            if (_start > 0)
            {
                _receive.AsSpan(_start, buffered).CopyTo(_receive);
                _start = 0;
                _end = buffered;
            }

            var read = await _socket.ReceiveAsync(_receive.AsMemory(_end), SocketFlags.None);
            if (read == 0)
            {
                throw new InvalidOperationException("the server closed the connection");
            }

            _end += read;
        }
    }
}
