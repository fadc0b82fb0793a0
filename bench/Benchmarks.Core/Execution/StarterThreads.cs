using System.Collections.Concurrent;

namespace Benchmarks.Core.Execution;

/// <summary>
/// Threads of the open-model dispatcher that start operations for stores whose calls do real work before
/// their first await. They are its own, not the thread pool's: started on the pool, starts queued behind
/// the store's completions and waited for the pool to grow (scheduling lag p99 1.5–1.8 ms for the registry
/// at 1000/s here, against 0.8–1.1 ms on two threads of their own; docs/performance.md). There are as many
/// as cores, so one start that is preempted mid-call never holds up the next.
/// </summary>
internal sealed class StarterThreads : IDisposable
{
    private readonly ConcurrentQueue<Start> _queue = new();
    private readonly SemaphoreSlim _pending = new(0);
    private readonly OperationRunner _runner;
    private readonly OpenModelDispatcher _dispatcher;
    private readonly Thread[] _threads;
    private volatile bool _stopping;

    private readonly record struct Start(long Sequence, long Intended, long Ready, bool Measured);

    public StarterThreads(OperationRunner runner, OpenModelDispatcher dispatcher)
    {
        _runner = runner;
        _dispatcher = dispatcher;
        _threads = [.. Enumerable.Range(0, Math.Max(2, Environment.ProcessorCount)).Select(i => new Thread(Loop) { IsBackground = true, Name = $"bench-starter-{i}" })];
        foreach (var thread in _threads)
        {
            thread.Start();
        }
    }

    public void Begin(long sequence, long intendedTicks, long readyTicks, bool measured)
    {
        _queue.Enqueue(new Start(sequence, intendedTicks, readyTicks, measured));
        _pending.Release();
    }

    private void Loop()
    {
        while (true)
        {
            _pending.Wait();
            if (_queue.TryDequeue(out var start))
            {
                _dispatcher.Track(_runner.RunAsync(start.Sequence, start.Intended, start.Measured, start.Ready));
            }
            else if (_stopping)
            {
                return;
            }
        }
    }

    /// <summary>Lets the threads finish the starts already queued, then end (a start stuck in a store call after a drain time-out is left to finish on its own).</summary>
    public void Dispose()
    {
        _stopping = true;
        _pending.Release(_threads.Length);
        if (_threads.All(t => t.Join(TimeSpan.FromSeconds(1))))
        {
            _pending.Dispose();
        }
    }
}
