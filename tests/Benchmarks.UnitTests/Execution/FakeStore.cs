using Benchmarks.Core.Parsing;
using Benchmarks.Core.Stores;
using Benchmarks.Core.Workload;

namespace Benchmarks.UnitTests.Execution;

/// <summary>
/// A store for executor tests: operations complete asynchronously, and block while the gate is
/// closed (a stall). It counts completions and the highest concurrency it saw.
/// </summary>
internal sealed class FakeStore : IStoreDriverFactory, IStoreDriver, IStoreOperation
{
    private TaskCompletionSource _gate = NewOpenGate();
    private long _inFlight;
    private long _completed;
    private long _maxInFlight;
    private long _blockNextStartMs;

    public string Kind => "fake";

    public string Description => "test fake";

    public IReadOnlyList<string> Operations { get; } = ["op"];

    public long Completed => Interlocked.Read(ref _completed);

    public long MaxInFlight => Interlocked.Read(ref _maxInFlight);

    public void CloseGate() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void OpenGate() => _gate.TrySetResult();

    /// <summary>The next call blocks its caller for <paramref name="duration"/> before its first await, as a client with a long synchronous part would.</summary>
    public void BlockNextStart(TimeSpan duration) => Interlocked.Exchange(ref _blockNextStartMs, (long)duration.TotalMilliseconds);

    /// <summary>What the driver tells the dispatcher (see <see cref="IStoreDriver.StartsInline"/>).</summary>
    public bool StartsInline { get; set; } = true;

    public async ValueTask ExecuteAsync(OperationRandom random, long sequence, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _blockNextStartMs, 0) is > 0 and var block)
        {
            Thread.Sleep((int)block);
        }

        var now = Interlocked.Increment(ref _inFlight);
        long seen;
        while (now > (seen = Interlocked.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, now, seen) != seen)
        {
        }

        await _gate.Task;
        await Task.Yield();
        Interlocked.Decrement(ref _inFlight);
        Interlocked.Increment(ref _completed);
    }

    public object ParseSettings(ScenarioSection store) => this;

    public string RedactTarget(object settings) => "fake";

    public object? ParseOperation(string operation, ScenarioSection entry) => null;

    public IStoreDriver Create(object settings) => this;

    public Task<StoreInfo> ConnectAsync(CancellationToken cancellationToken) => Task.FromResult(new StoreInfo("fake", "fake", "1", "fake", "1"));

    public IStoreOperation CreateOperation(OperationDefinition operation, WorkloadContext workload) => this;

    public ErrorKind Classify(Exception error) => ErrorKind.Other;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static TaskCompletionSource NewOpenGate()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        gate.SetResult();
        return gate;
    }
}
