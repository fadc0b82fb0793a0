using System.Globalization;
using System.Text;
using HdrHistogram;
using HdrHistogram.Utilities;

namespace Benchmarks.Core.Recording;

/// <summary>
/// Writes the HdrHistogram interval log (.hlog, format 1.3) in ASCII and flushes every interval, so a
/// run killed half-way leaves its data. HdrHistogram.NET's own writer emits UTF-16, which the reference
/// readers (Java HistogramLogProcessor, hdr-histogram-js) cannot read.
/// </summary>
public sealed class HlogWriter : IDisposable
{
    private readonly StreamWriter _writer;
    private readonly double _baseTimeSeconds;
    private ByteBuffer _encoded = ByteBuffer.Allocate(1024);
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
        var needed = histogram.GetNeededByteBufferCapacity();
        if (_encoded.Capacity() < needed)
        {
            _encoded = ByteBuffer.Allocate(needed);
            _bytes = new byte[needed];
        }

        // ByteBuffer copies arrays given to it and exposes no array of its own: read the bytes back out.
        _encoded.Position = 0;
        var length = HistogramEncoding.EncodeIntoCompressedByteBuffer(histogram, _encoded);
        _encoded.Position = 0;
        for (var i = 0; i < length; i++)
        {
            _bytes[i] = _encoded.Get();
        }

        var payload = Convert.ToBase64String(_bytes, 0, length);
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{startSecondsSinceBase:0.000},{lengthSeconds:0.000},{histogram.GetMaxValue() / 1000.0:0.000},{payload}");
        _writer.WriteLine(tag is null ? line : $"Tag={tag},{line}");
    }

    public void Flush() => _writer.Flush();

    public void Dispose() => _writer.Dispose();

    private static string Ascii(string text) => new(text.Select(c => c is >= ' ' and <= '~' && c != ']' ? c : '_').ToArray());
}
