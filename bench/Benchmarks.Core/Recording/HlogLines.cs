using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using HdrHistogram;
using HdrHistogram.Persistence;
using HdrHistogram.Utilities;

namespace Benchmarks.Core.Recording;

/// <summary>
/// Reads an .hlog a line at a time and adds each interval's counts straight into a histogram of the project's shape,
/// for merging many long logs: HdrHistogram's reader decodes every interval into a new 1 µs–1 h histogram (180 KB
/// allocated and zeroed, and 180 KB inflated: the encoder deflates its whole buffer) that <see cref="HistogramBase.Add"/>
/// then walks bucket by bucket, which made a merge of 100 agents × 600 s take 44 s. Here only the header and payload are
/// inflated and the library's own counts decoder hands over the recorded buckets. Logs of another shape are decoded by
/// the library as usual. Complete lines only, as <see cref="HlogReader"/> reads them.
/// </summary>
public sealed class HlogLines : IDisposable
{
    private const int CompressedCookieV2 = 0x1c849304;
    private const int HeaderBytes = 40;
    private const int V2WordSize = 9;

    private static readonly Lazy<long[]> BucketValues = new(ValuesOfBuckets);

    private readonly CompleteLines _reader;
    private readonly ICountsDecoder _decoder = CountsDecoder.GetDecoderForWordSize(V2WordSize);
    private double _baseSeconds;
    private string _payload = "";
    private byte[] _bytes = new byte[4096];
    private readonly byte[] _header = new byte[HeaderBytes];

    public HlogLines(string path)
    {
        _reader = new CompleteLines(path);
    }

    /// <summary>The current interval's tag (null: untagged), and its start and end in milliseconds since the epoch.</summary>
    public string? Tag { get; private set; }

    public long StartMs { get; private set; }

    public long EndMs { get; private set; }

    /// <summary>
    /// Moves to the next interval; false at the end of what is written so far. A log still being written can be
    /// followed: call again later, and the intervals written since are read (a line is read once its newline is there).
    /// </summary>
    public bool Next()
    {
        while (_reader.ReadLine() is { } line)
        {
            if (line.StartsWith("#[BaseTime: ", StringComparison.Ordinal) || (line.StartsWith("#[StartTime: ", StringComparison.Ordinal) && _baseSeconds == 0))
            {
                var number = line[(line.IndexOf(':', StringComparison.Ordinal) + 2)..].Split(' ')[0];
                _baseSeconds = double.Parse(number, CultureInfo.InvariantCulture);
                continue;
            }

            if (line.Length == 0 || line[0] is '#' or '"')
            {
                continue;
            }

            var fields = line.Split(',');
            var tagged = fields[0].StartsWith("Tag=", StringComparison.Ordinal);
            var first = tagged ? 1 : 0;
            Tag = tagged ? fields[0][4..] : null;
            var start = _baseSeconds + double.Parse(fields[first], CultureInfo.InvariantCulture);
            StartMs = (long)Math.Round(start * 1000);
            EndMs = (long)Math.Round((start + double.Parse(fields[first + 1], CultureInfo.InvariantCulture)) * 1000);
            _payload = fields[first + 3];
            return true;
        }

        return false;
    }

    /// <summary>Adds the current interval's counts into <paramref name="into"/> (a histogram made by <see cref="Histograms.Create"/>); returns how many it added.</summary>
    public long AddTo(HistogramBase into)
    {
        var needed = _payload.Length * 3 / 4 + 3;
        if (_bytes.Length < needed)
        {
            _bytes = new byte[needed * 2];
        }

        if (!Convert.TryFromBase64String(_payload, _bytes, out var length))
        {
            throw new InvalidDataException("an interval of the .hlog is not base64");
        }

        // The cookie's low nibble of its second byte holds the word size; the base names the encoding.
        if ((BinaryPrimitives.ReadInt32BigEndian(_bytes) & ~0xf0) != CompressedCookieV2)
        {
            return AddDecoded(into, length);
        }

        // The encoder deflates its whole buffer, the 180 KB of zeros after the payload included: inflate only the header
        // and the payload (inflating the rest was 100 µs an interval).
        using var zlib = new ZLibStream(new MemoryStream(_bytes, 8, length - 8), CompressionMode.Decompress);
        zlib.ReadExactly(_header);
        var payloadLength = BinaryPrimitives.ReadInt32BigEndian(_header.AsSpan(4));
        var normalizingOffset = BinaryPrimitives.ReadInt32BigEndian(_header.AsSpan(8));
        var digits = BinaryPrimitives.ReadInt32BigEndian(_header.AsSpan(12));
        var lowest = BinaryPrimitives.ReadInt64BigEndian(_header.AsSpan(16));
        var highest = BinaryPrimitives.ReadInt64BigEndian(_header.AsSpan(24));
        if (normalizingOffset != 0 || digits != Histograms.SignificantDigits || lowest != 1 || highest != Timing.HighestTrackableMicros)
        {
            return AddDecoded(into, length);
        }

        var payload = new byte[payloadLength];
        zlib.ReadExactly(payload);
        var buffer = ByteBuffer.Allocate(payload);
        var values = BucketValues.Value;
        long added = 0;
        _decoder.ReadCounts(buffer, payloadLength, values.Length, (index, count) =>
        {
            if (count > 0)
            {
                into.RecordValueWithCount(values[index], count);
                added += count;
            }
        });
        return added;
    }

    /// <summary>Another shape than the project's: the library decodes it into a histogram of its own.</summary>
    private long AddDecoded(HistogramBase into, int length)
    {
        var histogram = HistogramEncoding.DecodeFromCompressedByteBuffer(ByteBuffer.Allocate(_bytes.AsSpan(0, length).ToArray()), 0);
        into.Add(histogram);
        return histogram.TotalCount;
    }

    /// <summary>The lowest value of each bucket of the project's histogram shape, in bucket order, as the library itself steps through them.</summary>
    private static long[] ValuesOfBuckets()
    {
        var shape = Histograms.Create();
        var values = new List<long>();
        for (long value = 0; value <= Timing.HighestTrackableMicros; value = shape.NextNonEquivalentValue(value))
        {
            values.Add(shape.LowestEquivalentValue(value));
        }

        return [.. values];
    }

    public void Dispose() => _reader.Dispose();

    /// <summary>The complete lines of a file that may still be growing; a line without its newline yet waits for it.</summary>
    private sealed class CompleteLines(string path) : IDisposable
    {
        private readonly FileStream _file = new(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1);
        private byte[] _buffer = new byte[1 << 16];
        private int _start;
        private int _end;

        public string? ReadLine()
        {
            while (true)
            {
                var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
                if (newline >= 0)
                {
                    var line = System.Text.Encoding.ASCII.GetString(_buffer, _start, newline - _start);
                    _start = newline + 1;
                    return line;
                }

                if (_start > 0)
                {
                    Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                    _end -= _start;
                    _start = 0;
                }

                if (_end == _buffer.Length)
                {
                    Array.Resize(ref _buffer, _buffer.Length * 2);
                }

                var read = _file.Read(_buffer, _end, _buffer.Length - _end);
                if (read == 0)
                {
                    return null;
                }

                _end += read;
            }
        }

        public void Dispose() => _file.Dispose();
    }
}
