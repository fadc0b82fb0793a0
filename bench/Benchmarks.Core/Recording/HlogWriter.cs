using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using HdrHistogram;
using HdrHistogram.Encoding;
using HdrHistogram.Utilities;

namespace Benchmarks.Core.Recording;

/// <summary>
/// Writes the HdrHistogram interval log (.hlog, format 1.3) in ASCII and flushes every interval, so a
/// run killed half-way leaves its data. HdrHistogram.NET's own writer emits UTF-16, which the reference
/// readers (Java HistogramLogProcessor, hdr-histogram-js) cannot read.
/// </summary>
public sealed class HlogWriter : IDisposable
{
    /// <summary>The cookie of a compressed V2 encoding with its word-size bits, as the HdrHistogram formats define it.</summary>
    private const int CompressedV2Cookie = 0x1c849314;

    private readonly StreamWriter _writer;
    private readonly double _baseTimeSeconds;
    private readonly MemoryStream _compressed = new();
    private ByteBuffer _uncompressed = ByteBuffer.Allocate(1024);
    private byte[] _bytes = new byte[1024];

    public HlogWriter(Stream stream, DateTimeOffset startTime, string comment)
    {
        _writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { NewLine = "\n" };
        _baseTimeSeconds = startTime.ToUnixTimeMilliseconds() / 1000.0;
        var seconds = _baseTimeSeconds.ToString("0.000", CultureInfo.InvariantCulture);
        _writer.WriteLine($"#[{Ascii(comment)}]");
        _writer.WriteLine("#[Histogram values are in microseconds; Interval_Max is in milliseconds]");
        _writer.WriteLine("#[Histogram log format version 1.3]");
        _writer.WriteLine($"#[StartTime: {seconds} (seconds since epoch), {startTime.UtcDateTime.ToString("ddd MMM dd HH:mm:ss 'UTC' yyyy", CultureInfo.InvariantCulture)}]");
        _writer.WriteLine($"#[BaseTime: {seconds} (seconds since epoch)]");
        _writer.WriteLine("\"StartTimestamp\",\"Interval_Length\",\"Interval_Max\",\"Interval_Compressed_Histogram\"");
        _writer.Flush();
    }

    /// <summary>Appends one interval; <paramref name="tag"/> null writes an untagged line, which reference tools read by default.</summary>
    public void Append(string? tag, double startSecondsSinceBase, double lengthSeconds, HistogramBase histogram)
    {
        var length = Compress(histogram);
        var payload = Convert.ToBase64String(_compressed.GetBuffer(), 0, length);
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{startSecondsSinceBase:0.000},{lengthSeconds:0.000},{histogram.GetMaxValue() / 1000.0:0.000},{payload}");
        _writer.WriteLine(tag is null ? line : $"Tag={tag},{line}");
    }

    /// <summary>
    /// The histogram's compressed V2 encoding, the format <c>EncodeIntoCompressedByteBuffer</c> writes, into
    /// <see cref="_compressed"/>; returns its length. The library's own method allocates two buffers of the histogram's
    /// full size (~190 KB each) per call and deflates all of it, trailing zeros included: at one line per operation and
    /// kind each second, that was the registry run's largest allocation (6 KB per operation at 1000/s, a gen0 collection
    /// every half second here). Here its V2 encoder writes into a buffer kept between lines, only the encoded bytes are
    /// deflated (shorter lines, the same histogram for every reader), and only the deflate stream is new per call.
    /// </summary>
    private int Compress(HistogramBase histogram)
    {
        var needed = histogram.GetNeededByteBufferCapacity();
        if (_uncompressed.Capacity() < needed)
        {
            _uncompressed = ByteBuffer.Allocate(needed);
            _bytes = new byte[needed];
        }

        // ByteBuffer copies arrays given to it and exposes no array of its own: read the bytes back out.
        _uncompressed.Position = 0;
        var length = histogram.Encode(_uncompressed, HistogramEncoderV2.Instance);
        _uncompressed.Position = 0;
        for (var i = 0; i < length; i++)
        {
            _bytes[i] = _uncompressed.Get();
        }

        // The format: the compressed V2 cookie and the compressed length, big-endian, then a 2-byte RFC 1950 header and
        // the deflated encoding (readers skip the header and inflate the rest).
        _compressed.SetLength(0);
        Span<byte> header = stackalloc byte[10];
        BinaryPrimitives.WriteInt32BigEndian(header, CompressedV2Cookie);
        header[8] = 0x58;
        header[9] = 0x85;
        _compressed.Write(header);
        using (var deflate = new DeflateStream(_compressed, CompressionMode.Compress, leaveOpen: true))
        {
            deflate.Write(_bytes, 0, length);
        }

        var total = (int)_compressed.Length;
        BinaryPrimitives.WriteInt32BigEndian(_compressed.GetBuffer().AsSpan(4), total - 8);
        return total;
    }

    public void Flush() => _writer.Flush();

    public void Dispose()
    {
        _writer.Dispose();
        _compressed.Dispose();
    }

    private static string Ascii(string text) => new(text.Select(c => c is >= ' ' and <= '~' && c != ']' ? c : '_').ToArray());
}
