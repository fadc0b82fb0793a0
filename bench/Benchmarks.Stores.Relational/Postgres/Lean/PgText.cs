using System.Globalization;
using System.Text;

namespace Benchmarks.Stores.Relational.Postgres.Lean;

/// <summary>
/// One text argument of a call: a string, NULL, or a prefix and a whole number, written straight into the send buffer
/// as the prefix and the number's digits. A model's name is the last kind: made as a string for every lookup, it was
/// the lean client's one allocation per call, on the poller's thread (docs/performance.md, "The lean PostgreSQL client
/// beside pgbench").
/// </summary>
internal readonly struct PgText
{
    private readonly string? _text;
    private readonly string? _prefix;
    private readonly long _number;

    private PgText(string? text, string? prefix, long number)
    {
        _text = text;
        _prefix = prefix;
        _number = number;
    }

    public bool IsNull => _text is null && _prefix is null;

    public static implicit operator PgText(string? text) => new(text, null, 0);

    /// <summary>The text <paramref name="prefix"/> followed by <paramref name="number"/> in invariant digits.</summary>
    public static PgText Numbered(string prefix, long number) => new(null, prefix, number);

    /// <summary>The most bytes <see cref="WriteUtf8"/> can write (a long has at most 20 characters, its sign included).</summary>
    public int MaxByteCount => _prefix is not null
        ? Encoding.UTF8.GetMaxByteCount(_prefix.Length) + 20
        : Encoding.UTF8.GetMaxByteCount(_text?.Length ?? 0);

    /// <summary>Writes the text as UTF-8 into <paramref name="destination"/> (at least <see cref="MaxByteCount"/> long); the bytes written.</summary>
    public int WriteUtf8(Span<byte> destination)
    {
        if (_prefix is null)
        {
            return Encoding.UTF8.GetBytes(_text, destination);
        }

        var written = Encoding.UTF8.GetBytes(_prefix, destination);
        _number.TryFormat(destination[written..], out var digits, provider: CultureInfo.InvariantCulture);
        return written + digits;
    }

    public override string? ToString() => _prefix is null ? _text : string.Concat(_prefix, _number.ToString(CultureInfo.InvariantCulture));
}
