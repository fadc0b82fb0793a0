using System.Buffers.Text;
using System.Text;

namespace Benchmarks.Stores.Redis.Lean;

/// <summary>What a RESP2 reply was: the five types of the protocol.</summary>
internal enum RespKind
{
    Simple,
    Error,
    Integer,
    Bulk,
    Array,
}

/// <summary>
/// One reply. Its payload (a bulk string's bytes, an array's items) is only materialised when the request asked for
/// it (a lookup that returns what it read, a test); a measured operation only needs to know it succeeded, so the
/// parser walks the frame and allocates nothing.
/// </summary>
internal readonly record struct RespReply(RespKind Kind, long Integer = 0, byte[]? Bulk = null, RespReply[]? Items = null, string? Text = null)
{
    /// <summary>A null bulk string or a null array ($-1, *-1): GET of a missing key.</summary>
    public bool IsNull => Integer < 0 && Kind is RespKind.Bulk or RespKind.Array;
}

/// <summary>Writes commands as RESP arrays of bulk strings straight into a byte buffer, and parses replies from one.</summary>
internal static class Resp
{
    private static readonly byte[] CrLf = "\r\n"u8.ToArray();

    /// <summary>The bytes <paramref name="arguments"/> take as one command.</summary>
    public static int Size(ReadOnlySpan<RespArgument> arguments)
    {
        var size = 1 + Digits(arguments.Length) + 2;
        foreach (var argument in arguments)
        {
            var length = argument.Length;
            size += 1 + Digits(length) + 2 + length + 2;
        }

        return size;
    }

    /// <summary>Writes one command at <paramref name="destination"/>'s start; returns the bytes written (<see cref="Size"/> of them).</summary>
    public static int Write(Span<byte> destination, ReadOnlySpan<RespArgument> arguments)
    {
        var at = Header(destination, (byte)'*', arguments.Length);
        foreach (var argument in arguments)
        {
            at += Header(destination[at..], (byte)'$', argument.Length);
            at += argument.CopyTo(destination[at..]);
            CrLf.CopyTo(destination[at..]);
            at += 2;
        }

        return at;
    }

    private static int Header(Span<byte> destination, byte type, int value)
    {
        destination[0] = type;
        Utf8Formatter.TryFormat(value, destination[1..], out var written);
        destination[1 + written] = (byte)'\r';
        destination[2 + written] = (byte)'\n';
        return 3 + written;
    }

    /// <summary>How many decimal digits <paramref name="value"/> (not negative) takes.</summary>
    public static int Digits(long value)
    {
        var digits = 1;
        while (value >= 10)
        {
            value /= 10;
            digits++;
        }

        return digits;
    }

    /// <summary>
    /// Parses one whole reply at the start of <paramref name="buffer"/>: false when it is not all there yet (read more).
    /// With <paramref name="materialise"/> false, bulk strings and arrays are only walked (errors are always read: they are the message).
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> buffer, bool materialise, out RespReply reply, out int consumed)
    {
        reply = default;
        consumed = 0;
        var line = buffer.IndexOf(CrLf);
        if (line < 0)
        {
            return false;
        }

        var body = buffer[1..line];
        var afterLine = line + 2;
        switch (buffer[0])
        {
            case (byte)'+':
                reply = new RespReply(RespKind.Simple, Text: materialise ? Encoding.UTF8.GetString(body) : null);
                consumed = afterLine;
                return true;
            case (byte)'-':
                reply = new RespReply(RespKind.Error, Text: Encoding.UTF8.GetString(body));
                consumed = afterLine;
                return true;
            case (byte)':':
                reply = new RespReply(RespKind.Integer, Integer: ParseInteger(body));
                consumed = afterLine;
                return true;
            case (byte)'$':
            {
                var length = ParseInteger(body);
                if (length < 0)
                {
                    reply = new RespReply(RespKind.Bulk, Integer: -1);
                    consumed = afterLine;
                    return true;
                }

                if (buffer.Length < afterLine + length + 2)
                {
                    return false;
                }

                reply = new RespReply(RespKind.Bulk, Integer: length, Bulk: materialise ? buffer.Slice(afterLine, (int)length).ToArray() : null);
                consumed = afterLine + (int)length + 2;
                return true;
            }

            case (byte)'*':
            {
                var count = ParseInteger(body);
                if (count < 0)
                {
                    reply = new RespReply(RespKind.Array, Integer: -1);
                    consumed = afterLine;
                    return true;
                }

                var items = materialise ? new RespReply[count] : null;
                var at = afterLine;
                for (var i = 0; i < count; i++)
                {
                    if (!TryParse(buffer[at..], materialise, out var item, out var used))
                    {
                        return false;
                    }

                    if (items is not null)
                    {
                        items[i] = item;
                    }

                    at += used;
                }

                reply = new RespReply(RespKind.Array, Integer: count, Items: items);
                consumed = at;
                return true;
            }

            default:
                throw new InvalidDataException($"not a RESP reply: type byte 0x{buffer[0]:x2}");
        }
    }

    private static long ParseInteger(ReadOnlySpan<byte> text) =>
        Utf8Parser.TryParse(text, out long value, out var used) && used == text.Length ? value : throw new InvalidDataException("a RESP length or integer that is not a number");
}

/// <summary>
/// One argument of a command: UTF-8 text (a command name), bytes (a value), or a key written as its prefix, index and
/// suffix (what <see cref="Benchmarks.Core.Workload.WorkloadContext.Key"/> would make a string of), each written
/// straight into the send buffer without a copy or a string of its own.
/// </summary>
internal readonly struct RespArgument
{
    private readonly string? _text;
    private readonly ReadOnlyMemory<byte> _bytes;
    private readonly long _index;
    private readonly string? _suffix;

    private RespArgument(string? text, ReadOnlyMemory<byte> bytes, long index = -1, string? suffix = null)
    {
        _text = text;
        _bytes = bytes;
        _index = index;
        _suffix = suffix;
        Length = text is null ? bytes.Length : Encoding.UTF8.GetByteCount(text);
        if (index >= 0)
        {
            Length += Resp.Digits(index) + (suffix is null ? 0 : Encoding.UTF8.GetByteCount(suffix));
        }
    }

    public int Length { get; }

    public static implicit operator RespArgument(string text) => new(text, default);

    public static implicit operator RespArgument(byte[] bytes) => new(null, bytes);

    public static RespArgument Of(ReadOnlyMemory<byte> bytes) => new(null, bytes);

    /// <summary>The key <paramref name="prefix"/><paramref name="index"/><paramref name="suffix"/> (e.g. "key:42:h").</summary>
    public static RespArgument Key(string prefix, long index, string? suffix = null) => new(prefix, default, index, suffix);

    public int CopyTo(Span<byte> destination)
    {
        if (_text is null)
        {
            _bytes.Span.CopyTo(destination);
            return _bytes.Length;
        }

        var written = Encoding.UTF8.GetBytes(_text, destination);
        if (_index >= 0)
        {
            Utf8Formatter.TryFormat(_index, destination[written..], out var digits);
            written += digits;
            if (_suffix is not null)
            {
                written += Encoding.UTF8.GetBytes(_suffix, destination[written..]);
            }
        }

        return written;
    }
}
