using System.Threading.Tasks.Sources;
using Benchmarks.Core.Execution;

namespace Benchmarks.UnitTests.Execution;

/// <summary>The open model's in-flight slots, given back by <see cref="InFlightSlots.ReleaseWhenDone"/> on the dispatcher's thread.</summary>
public sealed class InFlightSlotsTests
{
    [Fact]
    public void A_slot_comes_back_when_its_operation_completes_and_waiting_for_it_allocates_nothing()
    {
        // Garbage made here is memory the dispatcher touches for the first time: on the 2-vCPU VM the docs measure on, an
        // async method's state machine per operation (at 5 000/s) was 24-38 page faults a second on that thread.
        var slots = new InFlightSlots(capacity: 2);
        var operation = new ReusableOperation();
        var wrong = Cycle(slots, operation);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++)
        {
            wrong += Cycle(slots, operation);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, wrong);
        Assert.Equal(0, allocated);
        Assert.Equal(1_001, operation.ResultsRead);
        slots.ThrowIfFaulted();
    }

    [Fact]
    public void Operations_that_complete_out_of_order_each_give_back_their_own_slot()
    {
        var slots = new InFlightSlots(capacity: 3);
        var first = new ReusableOperation();
        var second = new ReusableOperation();
        var third = new ReusableOperation();
        foreach (var operation in new[] { first, second, third })
        {
            Assert.True(slots.TryTake());
            slots.ReleaseWhenDone(operation.Start());
        }

        Assert.False(slots.TryTake());
        second.Complete();
        Assert.Equal(2, slots.InFlight);
        third.Complete();
        first.Complete();
        Assert.Equal(0, slots.InFlight);
        Assert.Equal(3, new[] { first, second, third }.Sum(o => o.ResultsRead));
    }

    [Fact]
    public void An_operation_completed_before_it_is_handed_over_gives_its_slot_back_at_once()
    {
        var slots = new InFlightSlots(capacity: 1);
        var operation = new ReusableOperation();
        Assert.True(slots.TryTake());
        var pending = operation.Start();
        operation.Complete();
        slots.ReleaseWhenDone(pending);
        Assert.Equal(0, slots.InFlight);
        Assert.Equal(1, operation.ResultsRead);
    }

    [Fact]
    public void A_faulted_operation_gives_its_slot_back_and_fails_the_run_where_the_dispatcher_ends()
    {
        // The runner records every store failure itself, so a fault that reaches the slots is the harness's own bug:
        // it must surface, not vanish with a task nobody awaits.
        var slots = new InFlightSlots(capacity: 1);
        var operation = new ReusableOperation();
        Assert.True(slots.TryTake());
        slots.ReleaseWhenDone(operation.Start());
        operation.Fail(new InvalidOperationException("broken runner"));
        Assert.Equal(0, slots.InFlight);
        var thrown = Assert.Throws<InvalidOperationException>(slots.ThrowIfFaulted);
        Assert.Equal("broken runner", thrown.Message);
    }

    /// <summary>One operation through a slot; how many of its three checks failed (asserting in the measured loop would allocate).</summary>
    private static int Cycle(InFlightSlots slots, ReusableOperation operation)
    {
        var wrong = slots.TryTake() ? 0 : 1;
        slots.ReleaseWhenDone(operation.Start());
        wrong += slots.InFlight == 1 ? 0 : 1;
        operation.Complete();
        return wrong + (slots.InFlight == 0 ? 0 : 1);
    }

    /// <summary>One operation at a time whose task is a reused source (as the lean clients' pooled replies), completed by the test.</summary>
    private sealed class ReusableOperation : IValueTaskSource
    {
        private ManualResetValueTaskSourceCore<bool> _core;

        public int ResultsRead { get; private set; }

        public ValueTask Start()
        {
            _core.Reset();
            return new ValueTask(this, _core.Version);
        }

        public void Complete() => _core.SetResult(true);

        public void Fail(Exception error) => _core.SetException(error);

        public void GetResult(short token)
        {
            ResultsRead++;
            _core.GetResult(token);
        }

        public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _core.OnCompleted(continuation, state, token, flags);
    }
}
