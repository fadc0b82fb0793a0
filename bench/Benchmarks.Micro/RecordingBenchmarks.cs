using BenchmarkDotNet.Attributes;
using Benchmarks.Core.Recording;
using HdrHistogram;

namespace Benchmarks.Micro;

/// <summary>
/// What recording one operation costs on the hot path: the floor under every latency the harness
/// reports. RecordSuccess writes three values (corrected, uncorrected, and corrected less the generator's
/// start lag, for the verdict rule) into thread-safe recorders.
/// </summary>
[MemoryDiagnoser]
public class RecordingBenchmarks
{
    private readonly OperationRecorder _operation = new("get");
    private readonly Recorder _recorder = Histograms.CreateRecorder();
    private readonly HistogramBase _plain = Histograms.Create();
    private long _value = 17;

    [Benchmark(Baseline = true, Description = "LongHistogram.RecordValue (single thread, no safety)")]
    public void PlainHistogram() => _plain.RecordValue(Next());

    [Benchmark(Description = "Recorder.RecordValue (thread-safe, one value)")]
    public void ThreadSafeRecorder() => _recorder.RecordValue(Next());

    [Benchmark(Description = "OperationRecorder.RecordSuccess (corrected, uncorrected, generator-free)")]
    public void OperationSuccess()
    {
        var v = Next();
        _operation.RecordSuccess(v + 3, v, 1);
    }

    [Benchmark(Description = "Timing.Now + ToMicros (one timestamp and conversion)")]
    public long TimestampToMicros() => Timing.ToMicros(Timing.Now - 1_000);

    /// <summary>Spreads values over 10 µs .. 10 ms like real latencies, without a random generator's cost.</summary>
    private long Next()
    {
        _value = (_value * 1103515245 + 12345) & 0x7FFFFFFF;
        return 10 + (_value % 10_000);
    }
}

/// <summary>The once-a-second work of the snapshot thread: swap an interval out and add it to the totals.</summary>
[MemoryDiagnoser]
public class SnapshotBenchmarks
{
    private readonly OperationRecorder _operation = new("get");

    [IterationSetup]
    public void Fill()
    {
        for (var i = 0; i < 10_000; i++)
        {
            _operation.RecordSuccess(10 + (i % 5000), 10 + (i % 4000));
        }
    }

    [Benchmark(Description = "OperationRecorder.TakeInterval (10k values recorded)")]
    public IntervalSnapshot TakeInterval() => _operation.TakeInterval();
}
