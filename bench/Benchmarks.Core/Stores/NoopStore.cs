using Benchmarks.Core.Parsing;
using Benchmarks.Core.Workload;

namespace Benchmarks.Core.Stores;

/// <summary>
/// A store that does nothing, to measure the harness itself: the dispatch rate it can sustain and the
/// scheduling lag it adds. <c>noop</c> completes synchronously; <c>yield</c> completes asynchronously on
/// the thread pool, like a real client's completion.
/// </summary>
public sealed class NoopStoreFactory : IStoreDriverFactory
{
    public string Kind => "noop";

    public string Description => "no store: measures the harness's own overhead";

    public IReadOnlyList<string> Operations { get; } = ["noop", "yield"];

    public object ParseSettings(ScenarioSection store) => new object();

    public string RedactTarget(object settings) => "none";

    public object? ParseOperation(string operation, ScenarioSection entry) => null;

    public IStoreDriver Create(object settings) => new NoopStore();

    private sealed class NoopStore : IStoreDriver
    {
        public Task<StoreInfo> ConnectAsync(CancellationToken cancellationToken) =>
            Task.FromResult(new StoreInfo("none", "Benchmarks.Core", typeof(NoopStore).Assembly.GetName().Version?.ToString() ?? "0", "noop", null));

        public IStoreOperation CreateOperation(OperationDefinition operation, WorkloadContext workload) =>
            operation.Operation == "yield" ? new YieldOperation() : new NoopOperation();

        public ErrorKind Classify(Exception error) => ErrorKind.Other;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class NoopOperation : IStoreOperation
    {
        public ValueTask ExecuteAsync(OperationRandom random, long sequence, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    private sealed class YieldOperation : IStoreOperation
    {
        public async ValueTask ExecuteAsync(OperationRandom random, long sequence, CancellationToken cancellationToken) => await Task.Yield();
    }
}
