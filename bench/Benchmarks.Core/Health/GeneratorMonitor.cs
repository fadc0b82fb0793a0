using System.Diagnostics;
using System.Runtime;
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

    /// <summary>A probe that waited longer than this saw the pool stalled (below it: the cost of waking a thread).</summary>
    private const long StallFloorMicros = 1000;
    private readonly HistogramBase _threadPoolDelay = Histograms.Create();
    private readonly GcPauseListener _gcPauses = GcPauseListener.Create();
    private long _stallMicros;
    private int _stalls;
    private readonly Lock _lock = new();
    private readonly Thread _thread;
    // No spinning before it blocks: each wait spun through sched_yield, CPU taken from the load on a 2-core machine.
    private readonly ManualResetEventSlim _stop = new(false, spinCount: 0);
    private TimeSpan _gcPauseAtStart;
    private TimeSpan _cpuAtStart;
    private long _allocatedAtStart;
    private int[] _collectionsAtStart = [];
    private long _jitMethodsAtStart;
    private TimeSpan _jitTimeAtStart;
    private long _startTicks;
    private Snapshot? _result;

    public GeneratorMonitor() => _thread = new Thread(Probe) { IsBackground = true, Name = "bench-monitor" };

    /// <param name="LongestGcPause">The longest single stop-the-world pause (from the runtime's GC events).</param>
    /// <param name="GcPauses">How many stop-the-world pauses there were.</param>
    /// <param name="PoolStalls">Probes that waited more than 1 ms for a pool thread, and <paramref name="PoolStallTime"/> their waits added up (sampled every 50 ms).</param>
    /// <param name="JitMethods">Methods the JIT compiled while measuring (a first compilation or a tier-up), and <paramref name="JitTime"/> the time it spent on them.</param>
    public sealed record Snapshot(
        HistogramBase ThreadPoolDelay,
        TimeSpan GcPause,
        IReadOnlyDictionary<string, int> Collections,
        long AllocatedBytes,
        double CpuPercentOfMachine,
        double ElapsedSeconds,
        TimeSpan LongestGcPause,
        int GcPauses,
        int PoolStalls,
        TimeSpan PoolStallTime,
        long JitMethods,
        TimeSpan JitTime);

    /// <summary>
    /// Starts probing the thread pool before measurement (at the start of the warm-up), so that the probe's own code is
    /// compiled and tiered up there; what it sees before <see cref="Start"/> is thrown away.
    /// </summary>
    public void StartProbing()
    {
        if (_thread.ThreadState.HasFlag(System.Threading.ThreadState.Unstarted))
        {
            _thread.Start();
        }
    }

    /// <summary>Starts counting from now (the start of measurement).</summary>
    public void Start()
    {
        lock (_lock)
        {
            _threadPoolDelay.Reset();
            _stalls = 0;
            _stallMicros = 0;
        }

        _gcPauseAtStart = GC.GetTotalPauseDuration();
        _cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
        _allocatedAtStart = GC.GetTotalAllocatedBytes();
        _collectionsAtStart = [.. Enumerable.Range(0, GC.MaxGeneration + 1).Select(GC.CollectionCount)];
        _jitMethodsAtStart = JitInfo.GetCompiledMethodCount();
        _jitTimeAtStart = JitInfo.GetCompilationTime();
        _startTicks = Timing.Now;
        _gcPauses.Reset();
        StartProbing();
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
        var (longest, pauses) = _gcPauses.Stop();
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - _cpuAtStart).TotalSeconds;
        var collections = Enumerable.Range(0, GC.MaxGeneration + 1)
            .ToDictionary(g => $"gen{g}", g => GC.CollectionCount(g) - _collectionsAtStart[g]);
        lock (_lock)
        {
            _result = new Snapshot(_threadPoolDelay.Copy(), GC.GetTotalPauseDuration() - _gcPauseAtStart, collections,
                GC.GetTotalAllocatedBytes() - _allocatedAtStart,
                elapsed > 0 ? 100 * cpu / (elapsed * Environment.ProcessorCount) : 0, elapsed,
                longest, pauses, _stalls, TimeSpan.FromMicroseconds(_stallMicros),
                JitInfo.GetCompiledMethodCount() - _jitMethodsAtStart, JitInfo.GetCompilationTime() - _jitTimeAtStart);
        }

        return _result;
    }

    private void Probe()
    {
        // The probe's delay is measured by the pool thread that runs it; this thread only queues it.
        Housekeeping.LowerCurrentThread();
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
                        RecordProbe(delay);
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
                    RecordProbe(Timing.ToMicros(Timing.Now - queued));
                }

                return;
            }
        }
    }

    private void RecordProbe(long delayMicros)
    {
        _threadPoolDelay.RecordValue(Histograms.Clamp(delayMicros));
        if (delayMicros > StallFloorMicros)
        {
            _stalls++;
            _stallMicros += delayMicros;
        }
    }

    public void Dispose()
    {
        _stop.Dispose();
        _gcPauses.Dispose();
    }
}
