using Benchmarks.Core.Recording;
using Benchmarks.Core.Stores;
using HdrHistogram;

namespace Benchmarks.UnitTests.Recording;

public sealed class RecordingTests
{
    [Fact]
    public void Concurrent_writers_lose_no_counts_across_interval_snapshots()
    {
        var recorder = new OperationRecorder("get");
        const int threads = 8, perThread = 200_000;
        using var go = new Barrier(threads + 1);
        var writers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            go.SignalAndWait();
            for (var i = 0; i < perThread; i++)
            {
                recorder.RecordSuccess(10 + (i % 1000), 5 + (i % 1000));
            }
        })).ToList();
        writers.ForEach(w => w.Start());
        go.SignalAndWait();
        long intervals = 0;
        while (writers.Any(w => w.IsAlive))
        {
            intervals += recorder.TakeInterval().Corrected.TotalCount;
            Thread.Sleep(1);
        }

        intervals += recorder.TakeInterval().Corrected.TotalCount;
        Assert.Equal((long)threads * perThread, recorder.TotalCorrected.TotalCount);
        Assert.Equal((long)threads * perThread, recorder.TotalUncorrected.TotalCount);
        Assert.Equal(recorder.TotalCorrected.TotalCount, intervals);
    }

    [Fact]
    public void A_recorder_s_intervals_read_exactly_as_a_plain_histogram_of_the_same_values()
    {
        // The lock-free histogram inside the recorders must give every reader (percentiles, copies, the .hlog's
        // encoder, additions into totals) what a plain single-threaded histogram gives, interval after interval.
        var recorder = Histograms.CreateRecorder();
        var plain = Histograms.Create();
        var total = Histograms.Create();
        var random = new Random(19);
        HistogramBase? interval = null;
        for (var round = 0; round < 3; round++)
        {
            plain.Reset();
            for (var i = 0; i < 20_000 * (round + 1); i++)
            {
                var value = 1 + (long)Math.Exp(random.NextDouble() * 18);
                recorder.RecordValue(value);
                plain.RecordValue(value);
            }

            interval = recorder.GetIntervalHistogram(interval);
            Assert.IsType<AtomicCountsHistogram>(interval);
            Assert.Equal(plain.TotalCount, interval.TotalCount);
            Assert.Equal(Counts(plain), Counts(interval));
            Assert.Equal(Counts(plain), Counts(interval.Copy()));
            foreach (var percentile in new[] { 50, 90, 99, 99.9, 100 })
            {
                Assert.Equal(plain.GetValueAtPercentile(percentile), interval.GetValueAtPercentile(percentile));
            }

            var encoded = HdrHistogram.Utilities.ByteBuffer.Allocate(interval.GetNeededByteBufferCapacity());
            interval.EncodeIntoCompressedByteBuffer(encoded);
            encoded.Position = 0;
            Assert.Equal(Counts(plain), Counts(HistogramEncoding.DecodeFromCompressedByteBuffer(encoded, 0)));
            total.Add(interval);
        }

        Assert.Equal(20_000 + 40_000 + 60_000, total.TotalCount);
        Assert.Equal(0, recorder.GetIntervalHistogram(interval).TotalCount);

        static IEnumerable<(long Value, long Count)> Counts(HistogramBase h) => h.RecordedValues().Select(v => (v.ValueIteratedTo, v.CountAtValueIteratedTo)).ToList();
    }

    [Fact]
    public void Errors_are_counted_by_kind_and_per_interval()
    {
        var recorder = new OperationRecorder("get");
        recorder.RecordError(ErrorKind.Timeout);
        recorder.RecordError(ErrorKind.Timeout);
        recorder.RecordError(ErrorKind.Connection);
        Assert.Equal(3, recorder.TakeInterval().Errors);
        recorder.RecordError(ErrorKind.Server);
        Assert.Equal(1, recorder.TakeInterval().Errors);
        Assert.Equal(2, recorder.ErrorCount(ErrorKind.Timeout));
        Assert.Equal(4, recorder.TotalErrors);
    }

    [Fact]
    public void Values_beyond_an_hour_are_clamped_not_lost()
    {
        var recorder = new OperationRecorder("slow");
        recorder.RecordSuccess(Timing.HighestTrackableMicros * 10, 1);
        recorder.TakeInterval();
        Assert.Equal(1, recorder.TotalCorrected.TotalCount);
        Assert.True(recorder.TotalCorrected.GetMaxValue() >= Timing.HighestTrackableMicros * 0.999);
    }

    [Fact]
    public void The_hlog_is_ascii_and_reads_back_into_the_same_histograms()
    {
        var start = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var a = Histograms.Create();
        var b = Histograms.Create();
        for (var i = 1; i <= 1000; i++)
        {
            a.RecordValue(i);
            b.RecordValue(i * 100);
        }

        using var stream = new MemoryStream();
        using (var writer = new HlogWriter(stream, start, "test"))
        {
            writer.Append(null, 0.0, 1.0, a);
            writer.Append("get.corrected", 1.0, 1.0, b);
        }

        var bytes = stream.ToArray();
        Assert.All(bytes, x => Assert.InRange(x, (byte)9, (byte)126));
        var text = System.Text.Encoding.ASCII.GetString(bytes);
        Assert.Contains("#[Histogram log format version 1.3]", text, StringComparison.Ordinal);
        Assert.Contains("\nTag=get.corrected,1.000,1.000,", text, StringComparison.Ordinal);

        using var reader = new HistogramLogReader(new MemoryStream(bytes));
        var read = reader.ReadHistograms().ToList();
        Assert.Equal(2, read.Count);
        Assert.Equal(1000, read[0].TotalCount);
        Assert.Equal(a.GetValueAtPercentile(99), read[0].GetValueAtPercentile(99));
        Assert.Equal(b.GetMaxValue(), read[1].GetMaxValue());
        Assert.Equal("get.corrected", read[1].Tag);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(50_000)]
    public void Each_hlog_line_decodes_to_its_histogram_and_is_no_longer_than_the_library_s_own_encoding(int values)
    {
        // Wide and narrow histograms in one writer: its kept buffers must serve both in either order.
        var histograms = new[] { Histograms.Create(), Histograms.Create() };
        var random = new Random(values);
        for (var i = 0; i < values; i++)
        {
            histograms[0].RecordValue(1 + random.Next(3_600_000));
            histograms[1].RecordValue(1 + random.Next(100));
        }

        var written = histograms.Concat(histograms).ToList();
        using var stream = new MemoryStream();
        using (var writer = new HlogWriter(stream, DateTimeOffset.UnixEpoch, "test"))
        {
            foreach (var histogram in written)
            {
                writer.Append(null, 0.0, 1.0, histogram);
            }
        }

        var payloads = System.Text.Encoding.ASCII.GetString(stream.ToArray()).Split('\n')
            .Where(l => l.StartsWith("0.000,", StringComparison.Ordinal)).Select(l => Convert.FromBase64String(l.Split(',')[3])).ToList();
        Assert.Equal(written.Count, payloads.Count);
        foreach (var (histogram, payload) in written.Zip(payloads))
        {
            var decoded = HistogramEncoding.DecodeFromCompressedByteBuffer(HdrHistogram.Utilities.ByteBuffer.Allocate(payload), 0);
            Assert.Equal(Counts(histogram), Counts(decoded));
            var library = HdrHistogram.Utilities.ByteBuffer.Allocate(histogram.GetNeededByteBufferCapacity());
            Assert.InRange(payload.Length, 1, histogram.EncodeIntoCompressedByteBuffer(library));
        }

        static IEnumerable<(long Value, long Count)> Counts(HistogramBase h) => h.RecordedValues().Select(v => (v.ValueIteratedTo, v.CountAtValueIteratedTo));
    }

    [Fact]
    public void Ticks_convert_to_microseconds_whatever_the_stopwatch_frequency()
    {
        Assert.Equal(1_000_000, Timing.ToMicros(Timing.TicksPerSecond));
        Assert.Equal(0, Timing.ToMicros(-5));
        Assert.Equal(250, Timing.ToMicros(Timing.FromSeconds(250e-6)));
    }

    [Fact]
    public void The_last_interval_ends_where_the_window_ended_not_when_the_session_stopped()
    {
        var start = Timing.Now;
        using var session = new RecordingSession([new RecorderPlan("op", "op", null, [])], null, SilentProgress.Instance, start);
        var taken = new List<IntervalTaken>();
        session.IntervalSink = taken.Add;
        session.Start(start, 5, null);
        session.Recorders[0].RecordSuccess(correctedMicros: 100, uncorrectedMicros: 100);
        Thread.Sleep(50);
        session.Stop(endTicks: start + Timing.FromSeconds(0.02));
        var last = Assert.Single(taken);
        Assert.Equal(0.02, last.LengthSeconds, precision: 6);
        Assert.Equal(1, last.Operations[0].Corrected.TotalCount);
    }
}
