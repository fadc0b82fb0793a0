using System.Runtime.ExceptionServices;

namespace Benchmarks.Core.Execution;

/// <summary>
/// The open model's in-flight slots: at most <c>maxInFlight</c> operations run at once, and each gives its slot back
/// when it is done. Giving it back after an operation that completes later allocates nothing: a pooled watcher waits
/// for the operation, where an async method would allocate its state machine for every operation. On the dispatcher's
/// thread each allocation is memory the collector zeroes there, fresh pages faulted in while the store it just sent to
/// waits for the same core (docs/performance.md, "The dispatcher's page faults").
/// </summary>
// The semaphore is not disposed: operations that outlive a drain time-out still give their slot back later, and a
// SemaphoreSlim whose wait handle is never asked for holds nothing to free.
#pragma warning disable CA1001
internal sealed class InFlightSlots
#pragma warning restore CA1001
{
    private readonly int _capacity;
    private readonly SemaphoreSlim _free;
    private readonly Stack<Watcher> _idleWatchers = new();
    private ExceptionDispatchInfo? _fault;

    public InFlightSlots(int capacity)
    {
        _capacity = capacity;
        _free = new SemaphoreSlim(capacity, capacity);
    }

    /// <summary>How many operations hold a slot now.</summary>
    public int InFlight => _capacity - _free.CurrentCount;

    /// <summary>Takes a slot if one is free, without waiting.</summary>
    public bool TryTake() => _free.Wait(0, CancellationToken.None);

    /// <summary>Waits for a free slot; false when cancelled first.</summary>
    public bool Take(CancellationToken cancellationToken)
    {
        try
        {
            _free.Wait(cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Gives back a slot taken for an operation that was not started.</summary>
    public void Release() => _free.Release();

    /// <summary>Gives back the slot of the operation <paramref name="pending"/> stands for once it is done.</summary>
    public void ReleaseWhenDone(ValueTask pending)
    {
        if (pending.IsCompleted)
        {
            Complete(pending);
            return;
        }

        Watcher watcher;
        lock (_idleWatchers)
        {
            if (!_idleWatchers.TryPop(out watcher!))
            {
                watcher = new Watcher(this);
            }
        }

        watcher.Watch(pending);
    }

    /// <summary>
    /// Throws what an operation's task ended with, if one ever ended faulted: the runner records every failure of a store
    /// call itself, so a fault here is the harness's own and must fail the run rather than vanish.
    /// </summary>
    public void ThrowIfFaulted() => _fault?.Throw();

    private void Complete(ValueTask done)
    {
        try
        {
            // Consumes the result: a pooled task's state machine goes back to its pool only when its result is read.
            done.GetAwaiter().GetResult();
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref _fault, ExceptionDispatchInfo.Capture(e), null);
        }
        finally
        {
            _free.Release();
        }
    }

    /// <summary>Waits for one operation at a time: its continuation is made once, so registering it allocates nothing.</summary>
    private sealed class Watcher
    {
        private readonly InFlightSlots _slots;
        private readonly Action _onCompleted;
        private ValueTask _pending;

        public Watcher(InFlightSlots slots)
        {
            _slots = slots;
            _onCompleted = OnCompleted;
        }

        public void Watch(ValueTask pending)
        {
            _pending = pending;
            // Unsafe: no execution context to flow; the operation's own awaits captured what it needs.
            pending.GetAwaiter().UnsafeOnCompleted(_onCompleted);
        }

        private void OnCompleted()
        {
            var done = _pending;
            _pending = default;
            lock (_slots._idleWatchers)
            {
                _slots._idleWatchers.Push(this);
            }

            _slots.Complete(done);
        }
    }
}
