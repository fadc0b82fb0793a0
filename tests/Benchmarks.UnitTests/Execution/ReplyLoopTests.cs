using System.Collections.Concurrent;
using System.Diagnostics;
using Benchmarks.Core.Parsing;
using Benchmarks.Core.Stores;
using Benchmarks.Core.Workload;

namespace Benchmarks.UnitTests.Execution;

/// <summary>The open-model dispatcher reading a client's replies itself between its starts (<see cref="IReplyLoop"/>).</summary>
[Collection(nameof(TimingSensitive))]
public sealed class ReplyLoopTests : ExecutorTestBase
{
    [Fact(Timeout = 60_000)]
    public async Task While_attached_the_dispatcher_reads_every_reply_and_the_client_reads_the_drain()
    {
        var store = new ReplyLoopStore(TimeSpan.FromMilliseconds(0.2));
        var result = (await Run(store, "{ executor: constant-arrival-rate, rate: 2000/s, duration: 2s, warmup: 200ms }")).Result;

        Assert.Equal(result.Load.Scheduled, result.Total.Count);
        Assert.Equal(0, result.Total.Errors.Total);
        Assert.Equal(1, store.Attached);
        Assert.Equal(0, store.StillAttached);
        // Every reply of the schedule was read on the dispatcher's thread; only those still in flight when it ended
        // (at 2000/s and 0.2 ms each, a handful) were left to the client's own reader.
        Assert.True(store.ReadBy("bench-dispatcher") >= result.Load.Scheduled - 20, $"{store.ReadBy("bench-dispatcher")} of {result.Load.Scheduled} read by the dispatcher");
    }

    [Fact(Timeout = 60_000)]
    public async Task With_every_slot_taken_the_dispatcher_reads_the_replies_that_free_one()
    {
        // One slot, replies 1 ms after their request, a start every 0.5 ms: each start waits for the slot, and only the
        // waiting dispatcher itself can read the reply that frees it.
        var store = new ReplyLoopStore(TimeSpan.FromMilliseconds(1));
        var result = (await Run(store, "{ executor: constant-arrival-rate, rate: 2000/s, duration: 1s, maxInFlight: 1, maxLag: 10s, drainTimeout: 5s }")).Result;

        Assert.Equal(2000, result.Load.Scheduled);
        Assert.Equal(result.Load.Scheduled, result.Total.Count);
        Assert.Equal(0, result.Load.Unfinished);
    }

    /// <summary>
    /// A client whose replies arrive a fixed time after their request and are read by whoever serves its loop: the thread
    /// that attached, or, when none has, a reader thread of its own (as the lean client's pollers).
    /// </summary>
    private sealed class ReplyLoopStore : IStoreDriverFactory, IStoreDriver, IStoreOperation, IReplyLoop
    {
        private readonly ConcurrentQueue<(long Due, TaskCompletionSource Reply)> _pending = new();
        private readonly ConcurrentDictionary<string, int> _readBy = new();
        private readonly long _replyAfterTicks;
        private volatile bool _attached;
        private volatile bool _disposed;
        private int _attachedCount;
        private int _stillAttached;

        public ReplyLoopStore(TimeSpan replyAfter)
        {
            _replyAfterTicks = (long)(replyAfter.TotalSeconds * Stopwatch.Frequency);
            new Thread(() =>
            {
                while (!_disposed)
                {
                    if (!_attached)
                    {
                        ServeDue();
                    }

                    Thread.Sleep(1);
                }
            }) { IsBackground = true, Name = "client-reader" }.Start();
        }

        public int Attached => _attachedCount;

        public int StillAttached => _stillAttached;

        public int ReadBy(string thread) => _readBy.GetValueOrDefault(thread);

        public string Kind => "replies";

        public string Description => "test client with a reply loop";

        public IReadOnlyList<string> Operations { get; } = ["op"];

        public IReplyLoop? ReplyLoop => this;

        public ValueTask ExecuteAsync(OperationRandom random, long sequence, CancellationToken cancellationToken)
        {
            // Completed inline by the reader, as the lean client completes its slots.
            var reply = new TaskCompletionSource();
            _pending.Enqueue((Stopwatch.GetTimestamp() + _replyAfterTicks, reply));
            return new ValueTask(reply.Task);
        }

        public IDisposable Attach()
        {
            _attached = true;
            Interlocked.Increment(ref _attachedCount);
            Interlocked.Increment(ref _stillAttached);
            return new Detach(this);
        }

        public void Serve(long ticks)
        {
            var deadline = Stopwatch.GetTimestamp() + ticks;
            while (!ServeDue() && Stopwatch.GetTimestamp() < deadline)
            {
                Thread.SpinWait(20);
            }
        }

        private bool ServeDue()
        {
            var served = false;
            while (_pending.TryPeek(out var head) && head.Due <= Stopwatch.GetTimestamp() && _pending.TryDequeue(out head))
            {
                _readBy.AddOrUpdate(Thread.CurrentThread.Name ?? "?", 1, (_, n) => n + 1);
                head.Reply.SetResult();
                served = true;
            }

            return served;
        }

        public object ParseSettings(ScenarioSection store) => this;

        public string RedactTarget(object settings) => "replies";

        public object? ParseOperation(string operation, ScenarioSection entry) => null;

        public IStoreDriver Create(object settings) => this;

        public Task<StoreInfo> ConnectAsync(CancellationToken cancellationToken) => Task.FromResult(new StoreInfo("replies", "replies", "1", null, null));

        public IStoreOperation CreateOperation(OperationDefinition operation, WorkloadContext workload) => this;

        public ErrorKind Classify(Exception error) => ErrorKind.Other;

        public ValueTask DisposeAsync()
        {
            _disposed = true;
            return ValueTask.CompletedTask;
        }

        private sealed class Detach(ReplyLoopStore store) : IDisposable
        {
            public void Dispose()
            {
                store._attached = false;
                Interlocked.Decrement(ref store._stillAttached);
            }
        }
    }
}
