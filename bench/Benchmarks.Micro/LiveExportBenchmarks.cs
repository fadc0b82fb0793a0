using System.Diagnostics;
using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using Benchmarks.Core.Live;
using Benchmarks.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Benchmarks.Micro;

/// <summary>
/// What live export adds on the recording thread, per latency of an interval: one Record into the latency histogram
/// with the harness's attributes, as <see cref="LiveMetrics"/> does for each value of each second. Subscribed by the
/// OpenTelemetry SDK with the 187 fixed buckets (the live cost), and with no subscriber (export off: nothing).
/// A second of N operations costs N times this, once a second, off the operations' path.
/// </summary>
[MemoryDiagnoser]
public class LiveExportBenchmarks : IDisposable
{
    private Meter _meter = null!;
    private Histogram<double> _subscribed = null!;
    private Histogram<double> _unsubscribed = null!;
    private MeterProvider? _provider;
    private long _value = 17;

    [GlobalSetup]
    public void Setup()
    {
        // A meter of its own name for the unsubscribed case; the subscribed one is the harness's own meter and view.
        _meter = new Meter(LiveInstruments.MeterName);
        _subscribed = _meter.CreateHistogram<double>(LiveInstruments.Duration, "s");
        _unsubscribed = new Meter("Benchmarks.Unsubscribed").CreateHistogram<double>("unsubscribed", "s");
        _provider = LiveExport.Instruments(Sdk.CreateMeterProviderBuilder(), "micro").AddInMemoryExporter(new List<Metric>()).Build();
    }

    [Benchmark(Baseline = true, Description = "Histogram.Record, export off (no subscriber)")]
    public void Off() => _unsubscribed.Record(Next(), Tags());

    [Benchmark(Description = "Histogram.Record, export on (OpenTelemetry SDK, 187 fixed buckets)")]
    public void On() => _subscribed.Record(Next(), Tags());

    private static TagList Tags() => new() { { LiveInstruments.Scenario, "micro" }, { LiveInstruments.Agent, "0" }, { LiveInstruments.Operation, "get" } };

    /// <summary>Latencies spread over 10 µs .. 100 ms like real ones, without a random generator's cost.</summary>
    private double Next()
    {
        _value = (_value * 1103515245 + 12345) & 0x7FFFFFFF;
        return (10 + (_value % 100_000)) / 1e6;
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _provider?.Dispose();
        _meter?.Dispose();
        GC.SuppressFinalize(this);
    }
}
