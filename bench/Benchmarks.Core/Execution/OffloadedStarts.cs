using System.Collections.Concurrent;

namespace Benchmarks.Core.Execution;

/// <summary>
/// Starts operations on the thread pool for the open-model dispatcher, for stores whose calls do real
/// work before their first await. Work items are recycled, so a start allocates nothing of its own.
/// </summary>
internal sealed class OffloadedStarts(OperationRunner runner, OpenModelDispatcher dispatcher)
{
    private readonly ConcurrentBag<Start> _free = [];

    public void Begin(long sequence, long intendedTicks, long readyTicks, bool measured)
    {
        if (!_free.TryTake(out var item))
        {
            item = new Start(this);
        }

        item.Set(sequence, intendedTicks, readyTicks, measured);
        ThreadPool.UnsafeQueueUserWorkItem(item, preferLocal: false);
    }

    private void Run(Start item, long sequence, long intended, long ready, bool measured)
    {
        _free.Add(item);
        dispatcher.Track(runner.RunAsync(sequence, intended, measured, ready));
    }

    private sealed class Start(OffloadedStarts owner) : IThreadPoolWorkItem
    {
        private long _sequence;
        private long _intended;
        private long _ready;
        private bool _measured;

        public void Set(long sequence, long intended, long ready, bool measured) =>
            (_sequence, _intended, _ready, _measured) = (sequence, intended, ready, measured);

        public void Execute() => owner.Run(this, _sequence, _intended, _ready, _measured);
    }
}
