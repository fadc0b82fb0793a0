using System.Diagnostics;
using System.Diagnostics.Metrics;
using Benchmarks.Core.Recording;
using Benchmarks.Core.Stores;
using HdrHistogram;

namespace Benchmarks.Core.Live;

/// <summary>
/// Live export of runs through .NET's own metrics API (System.Diagnostics.Metrics): whoever subscribes to
/// <see cref="LiveInstruments.MeterName"/> (the OpenTelemetry SDK with its OTLP, Prometheus or Azure Monitor
/// exporters) sees each run second by second. Fed from the recording session's interval snapshots on its own
/// thread, never from the operations' path; one per process, outliving its runs so the last second can still
/// be scraped after a run ends. Without a subscriber the instruments do nothing.
/// </summary>
public sealed class LiveMetrics : IDisposable
{
    private readonly Meter _meter;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _errors;
    private readonly Counter<long> _dropped;
    private readonly Counter<double> _storeUsage;
    private readonly Gauge<double> _targetRate;
    private readonly Gauge<double> _lagP99;
    private readonly Gauge<double> _lagMax;

    public LiveMetrics()
    {
        _meter = new Meter(LiveInstruments.MeterName);
        _duration = _meter.CreateHistogram(LiveInstruments.Duration, "s", "Latency from the intended start (coordinated omission corrected)",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LiveInstruments.LatencyBuckets });
        _errors = _meter.CreateCounter<long>(LiveInstruments.Errors, "{error}", "Failed operations by error kind");
        _dropped = _meter.CreateCounter<long>(LiveInstruments.Dropped, "{operation}", "Operations the generator dropped (already maxLag late)");
        _storeUsage = _meter.CreateCounter<double>(LiveInstruments.StoreUsage, null, "A store's own measure summed (request units, rows)");
        _targetRate = _meter.CreateGauge<double>(LiveInstruments.TargetRate, "{operation}/s", "The rate the generator is asked to offer");
        _lagP99 = _meter.CreateGauge<double>(LiveInstruments.LagP99, "s", "The generator's scheduling lag of the last second, p99");
        _lagMax = _meter.CreateGauge<double>(LiveInstruments.LagMax, "s", "The generator's scheduling lag of the last second, max");
    }

    /// <summary>Feeds the instruments from <paramref name="session"/>'s intervals until the run ends; <paramref name="agent"/> is 0 unless scaled out.</summary>
    public void Follow(RecordingSession session, string scenario, int agent, double? targetRate) =>
        session.IntervalSink += new RunFeed(this, session, scenario, agent.ToString(System.Globalization.CultureInfo.InvariantCulture), targetRate).Observe;

    public void Dispose() => _meter.Dispose();

    /// <summary>One run's attributes and the store sums already exported (counters take what was added since).</summary>
    private sealed class RunFeed(LiveMetrics live, RecordingSession session, string scenario, string agent, double? targetRate)
    {
        private readonly double[][] _exportedSums = [.. session.Recorders.Select(r => new double[r.Metrics.Count])];

        public void Observe(IntervalTaken interval)
        {
            var run = new TagList { { LiveInstruments.Scenario, scenario }, { LiveInstruments.Agent, agent } };
            if (targetRate is { } rate)
            {
                live._targetRate.Record(rate, run);
            }

            if (interval.SchedulingLag.TotalCount > 0)
            {
                live._lagP99.Record(interval.SchedulingLag.GetValueAtPercentile(99) / 1e6, run);
                live._lagMax.Record(interval.SchedulingLag.GetMaxValue() / 1e6, run);
            }

            live._dropped.Add(interval.Dropped, run);
            for (var i = 0; i < interval.Operations.Count; i++)
            {
                var recorder = session.Recorders[i];
                var tags = new TagList { { LiveInstruments.Scenario, scenario }, { LiveInstruments.Agent, agent }, { LiveInstruments.Operation, recorder.Name } };
                RecordLatencies(interval.Operations[i].Corrected, tags);
                var byKind = interval.Operations[i].ErrorsByKind;
                for (var kind = 0; kind < byKind.Count; kind++)
                {
                    if (byKind[kind] > 0)
                    {
                        var withKind = tags;
                        withKind.Add(LiveInstruments.ErrorType, ErrorKinds.Name((ErrorKind)kind));
                        live._errors.Add(byKind[kind], withKind);
                    }
                }

                ExportStoreUsage(i, recorder, tags);
            }
        }

        /// <summary>
        /// Every latency of the interval into the histogram, at its HdrHistogram bucket's highest equivalent value (the
        /// value the run's own percentiles report), once per count: the metrics API takes single values, and the SDK's
        /// explicit-bucket aggregation costs some tens of nanoseconds a value, on this thread, once a second.
        /// </summary>
        private void RecordLatencies(HistogramBase interval, in TagList tags)
        {
            foreach (var bucket in interval.RecordedValues())
            {
                var seconds = bucket.ValueIteratedTo / 1e6;
                for (var n = 0L; n < bucket.CountAtValueIteratedTo; n++)
                {
                    live._duration.Record(seconds, tags);
                }
            }
        }

        private void ExportStoreUsage(int recorderIndex, OperationRecorder recorder, in TagList tags)
        {
            for (var m = 0; m < recorder.Metrics.Count; m++)
            {
                var metric = recorder.Metrics[m];
                if (!metric.Metric.Additive)
                {
                    continue;
                }

                var sum = metric.Sum;
                var added = sum - _exportedSums[recorderIndex][m];
                _exportedSums[recorderIndex][m] = sum;
                if (added > 0)
                {
                    var withMetric = tags;
                    withMetric.Add(LiveInstruments.Metric, metric.Metric.Name);
                    live._storeUsage.Add(added, withMetric);
                }
            }
        }
    }
}
