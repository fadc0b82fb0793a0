using HdrHistogram;

namespace Benchmarks.Core.Recording;

/// <summary>Reads back what <see cref="HlogWriter"/> wrote: the interval histograms, and their sums by tag.</summary>
public static class HlogReader
{
    /// <summary>
    /// Every complete interval of the log. Opened shared (the run that writes it may still hold it), and a
    /// line a killed process left unfinished (no newline yet) is not an interval: it is left out.
    /// </summary>
    public static List<HistogramBase> ReadIntervals(string path) => [.. StreamIntervals(path)];

    /// <summary>
    /// The complete intervals of the log as <see cref="ReadIntervals"/> reads them, decoded one at a time as they are
    /// enumerated: for merging many long logs in flat memory.
    /// </summary>
    public static IEnumerable<HistogramBase> StreamIntervals(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16);
        using var reader = new HistogramLogReader(new PrefixStream(file, CompleteLength(file)));
        foreach (var histogram in reader.ReadHistograms())
        {
            yield return histogram;
        }
    }

    /// <summary>The length of the file up to and including its last newline.</summary>
    private static long CompleteLength(FileStream file)
    {
        var buffer = new byte[4096];
        for (var end = file.Length; end > 0;)
        {
            var start = Math.Max(0, end - buffer.Length);
            file.Position = start;
            file.ReadExactly(buffer, 0, (int)(end - start));
            var last = Array.LastIndexOf(buffer, (byte)'\n', (int)(end - start - 1));
            if (last >= 0)
            {
                file.Position = 0;
                return start + last + 1;
            }

            end = start;
        }

        file.Position = 0;
        return 0;
    }

    /// <summary>The first <c>length</c> bytes of a stream, read forward only.</summary>
    private sealed class PrefixStream(Stream inner, long length) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = inner.Read(buffer, offset, (int)Math.Min(count, length - _position));
            _position += read;
            return read;
        }

        public override void Flush()
        {
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>The sum of the intervals tagged <paramref name="tag"/> (null: the untagged total); empty when there are none.</summary>
    public static HistogramBase Sum(IEnumerable<HistogramBase> intervals, string? tag)
    {
        var sum = Histograms.Create();
        foreach (var h in intervals.Where(h => h.Tag == tag))
        {
            sum.Add(h);
        }

        return sum;
    }
}
