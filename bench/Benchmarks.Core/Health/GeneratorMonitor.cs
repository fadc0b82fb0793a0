using System.Diagnostics;
using Benchmarks.Core.Recording;
using HdrHistogram;

namespace Benchmarks.Core.Health;

/// <summary>
/// Watches the load generator while it runs: how long the thread pool takes to start a queued work item
/// (starvation shows as delay), GC pause time, allocations and CPU. Sampled on its own thread so a
/// starved pool cannot hide its own starvation.
/// </summary>
public sealed class GeneratorMonitor : IDisposable
{
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(50);
    private readonly HistogramBase _threadPoolDelay = Histograms.Create();
    private readonly Lock _lock = new();
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _stop = new();
    private TimeSpan _gcPauseAtStart;
    private TimeSpan _cpuAtStart;
    private long _allocatedAtStart;
    private int[] _collectionsAtStart = [];
    private long _startTicks;
    private Snapshot? _result;

    public GeneratorMonitor() => _thread = new Thread(Probe) { IsBackground = true, Name = "bench-monitor" };

    public sealed record Snapshot(
        HistogramBase ThreadPoolDelay,
        TimeSpan GcPause,
        IReadOnlyDictionary<string, int> Collections,
        long AllocatedBytes,
        double CpuPercentOfMachine,
        double ElapsedSeconds);

    /// <summary>Starts counting from now (the start of measurement).</summary>
    public void Start()
    {
        _gcPauseAtStart = GC.GetTotalPauseDuration();
        _cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
        _allocatedAtStart = GC.GetTotalAllocatedBytes();
        _collectionsAtStart = [.. Enumerable.Range(0, GC.MaxGeneration + 1).Select(GC.CollectionCount)];
        _startTicks = Timing.Now;
        _thread.Start();
    }

    public Snapshot Stop()
    {
        if (_result is not null)
        {
            return _result;
        }

        _stop.Set();
        _thread.Join();
        var elapsed = Timing.ToSeconds(Timing.Now - _startTicks);
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - _cpuAtStart).TotalSeconds;
        var collections = Enumerable.Range(0, GC.MaxGeneration + 1)
            .ToDictionary(g => $"gen{g}", g => GC.CollectionCount(g) - _collectionsAtStart[g]);
        lock (_lock)
        {
            _result = new Snapshot(_threadPoolDelay.Copy(), GC.GetTotalPauseDuration() - _gcPauseAtStart, collections,
                GC.GetTotalAllocatedBytes() - _allocatedAtStart,
                elapsed > 0 ? 100 * cpu / (elapsed * Environment.ProcessorCount) : 0, elapsed);
        }

        return _result;
    }

    private void Probe()
    {
        while (!_stop.Wait(ProbeInterval))
        {
            var queued = Timing.Now;
            // Not disposed: a probe still queued at stop sets it later.
#pragma warning disable CA2000
            var ran = new ManualResetEventSlim();
#pragma warning restore CA2000
            ThreadPool.UnsafeQueueUserWorkItem(_ =>
            {
                var delay = Timing.ToMicros(Timing.Now - queued);
                lock (_lock)
                {
                    if (_result is null)
                    {
                        _threadPoolDelay.RecordValue(Histograms.Clamp(delay));
                    }
                }

                ran.Set();
            }, null);

            // Wait for the probe before the next one, but never past the stop signal.
            WaitHandle.WaitAny([ran.WaitHandle, _stop.WaitHandle]);
            if (!ran.IsSet)
            {
                lock (_lock)
                {
                    _threadPoolDelay.RecordValue(Histograms.Clamp(Timing.ToMicros(Timing.Now - queued)));
                }

                return;
            }
        }
    }

    public void Dispose() => _stop.Dispose();
}
