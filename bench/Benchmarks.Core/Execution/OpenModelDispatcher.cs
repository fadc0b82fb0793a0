using Benchmarks.Core.Recording;
using Benchmarks.Core.Stores;

namespace Benchmarks.Core.Execution;

/// <summary>
/// The open-model engine shared by the arrival-rate executors. One dedicated thread walks the schedule:
/// it waits for each intended start (<see cref="PreciseWaiter"/>: sub-millisecond gaps are kept
/// without spinning a core), takes an in-flight slot (waiting if <c>maxInFlight</c> are running; the operation keeps its
/// intended time), drops operations that waited past <c>maxLag</c>, and starts the rest inline when the
/// synchronous part of a store call is short (a client enqueues and returns: one thread starts well
/// over a million no-op operations a second), or on its <see cref="StarterThreads"/> when the driver says
/// its calls do real work before their first await (renting a connection, writing a statement), so that
/// one slow start never delays the operations due after it. The generator's lag is measured when the operation
/// actually starts, so a hand-off's wait counts as the generator's, never as the store's.
/// </summary>
internal sealed class OpenModelDispatcher
{
    private readonly IArrivalSchedule _schedule;
    private readonly long _maxLagTicks;
    private readonly long _drainTicks;
    private readonly long? _operationLimit;
    private readonly InFlightSlots _slots;

    public OpenModelDispatcher(IArrivalSchedule schedule, int maxInFlight, TimeSpan maxLag, TimeSpan drainTimeout, long? operationLimit)
    {
        _schedule = schedule;
        _maxLagTicks = Timing.FromTimeSpan(maxLag);
        _drainTicks = Timing.FromTimeSpan(drainTimeout);
        _operationLimit = operationLimit;
        _slots = new InFlightSlots(maxInFlight);
    }

    public Task<ExecutionStats> RunAsync(OperationRunner runner, RunClock clock, double? targetRate, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource<ExecutionStats>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                done.SetResult(Dispatch(runner, clock, targetRate, cancellationToken));
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        })
        {
            IsBackground = true,
            Name = "bench-dispatcher",
            Priority = ThreadPriority.AboveNormal,
        };
        thread.Start();
        return done.Task;
    }

    private ExecutionStats Dispatch(OperationRunner runner, RunClock clock, double? targetRate, CancellationToken cancellationToken)
    {
        using var starters = runner.StartsInline ? null : new StarterThreads(runner, this);
        // Starting inline, this thread also reads the client's replies while it waits, when the client lets it: no other
        // thread has to be woken for a reply (its own readers stand by until the schedule ends, then read the drain).
        var replies = starters is null ? runner.ReplyLoop : null;
        (long Scheduled, long Dropped) stats;
        using (replies?.Attach())
        {
            stats = Schedule(runner, clock, replies, starters, cancellationToken);
        }

        var unfinished = Drain(cancellationToken);
        _slots.ThrowIfFaulted();
        return new ExecutionStats(stats.Scheduled, stats.Dropped, unfinished, Timing.Now, targetRate);
    }

    /// <summary>Walks the schedule: waits for each start, takes a slot, drops what is too late, starts the rest.</summary>
    private (long Scheduled, long Dropped) Schedule(OperationRunner runner, RunClock clock, IReplyLoop? replies, StarterThreads? starters, CancellationToken cancellationToken)
    {
        var waiter = new PreciseWaiter(replies);
        var frequency = (double)Timing.TicksPerSecond;
        long scheduled = 0, dropped = 0, lastSlotWaitEnd = 0;

        for (long n = 0; !cancellationToken.IsCancellationRequested; n++)
        {
            if (!_schedule.TryGetOffset(n, out var offset))
            {
                break;
            }

            var intended = clock.StartTicks + (long)(offset * frequency);
            var measured = intended >= clock.MeasureStartTicks;
            if (measured && _operationLimit is { } limit && scheduled >= limit)
            {
                break;
            }

            var now = waiter.WaitUntil(intended, cancellationToken);
            if (cancellationToken.IsCancellationRequested)
            {
                break;
            }

            if (!_slots.TryTake())
            {
                if (!WaitForSlot(replies, cancellationToken))
                {
                    break;
                }

                now = Timing.Now;
                lastSlotWaitEnd = now;
            }

            if (measured)
            {
                scheduled++;
            }

            if (now - intended > _maxLagTicks)
            {
                _slots.Release();
                if (measured)
                {
                    dropped++;
                    // The generator's own doing only when it has not waited for a free slot for a whole maxLag: a
                    // backlog left by waits for slots (the store's backpressure) makes later operations late too.
                    runner.RecordDropped(byGenerator: now - lastSlotWaitEnd > _maxLagTicks);
                }

                continue;
            }

            var ready = Math.Max(intended, lastSlotWaitEnd);
            if (starters is not null)
            {
                starters.Begin(_schedule.SequenceOf(n), intended, ready, measured);
                continue;
            }

            Track(runner.RunAsync(_schedule.SequenceOf(n), intended, measured, ready));
        }

        return (scheduled, dropped);
    }

    /// <summary>Waits for an in-flight slot; reading the replies that free one when this thread reads them. False when cancelled.</summary>
    private bool WaitForSlot(IReplyLoop? replies, CancellationToken cancellationToken)
    {
        if (replies is null)
        {
            return _slots.Take(cancellationToken);
        }

        var slice = Timing.FromSeconds(0.001);
        while (!cancellationToken.IsCancellationRequested)
        {
            replies.Serve(slice);
            if (_slots.TryTake())
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Gives back the operation's in-flight slot when it is done.</summary>
    internal void Track(ValueTask pending) => _slots.ReleaseWhenDone(pending);

    /// <summary>Waits for the operations still in flight; returns how many did not finish in time.</summary>
    private long Drain(CancellationToken cancellationToken)
    {
        var deadline = Timing.Now + (cancellationToken.IsCancellationRequested ? Timing.FromSeconds(2) : _drainTicks);
        while (_slots.InFlight > 0 && Timing.Now < deadline)
        {
            Thread.Sleep(1);
        }

        return _slots.InFlight;
    }
}
