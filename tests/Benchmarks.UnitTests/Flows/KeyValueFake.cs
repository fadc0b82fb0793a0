using System.Collections.Concurrent;
using Benchmarks.Core.Parsing;
using Benchmarks.Core.Stores;
using Benchmarks.Core.Workload;

namespace Benchmarks.UnitTests.Flows;

/// <summary>
/// An in-memory key-value store for flow tests, one instance per name of the scenario's <c>stores:</c>:
/// <c>get</c> finds a key when it was preloaded or set; <c>set</c> stores it; every call takes
/// <see cref="KeyValueFake.Instance.Delay"/> and stalls while the instance's gate is closed; a failing instance throws timeouts.
/// </summary>
internal sealed class KeyValueFake : StoreDriverFactory<KeyValueFake.Settings, object>, IHasFindingOperations
{
    private readonly ConcurrentDictionary<string, Instance> _instances = new(StringComparer.Ordinal);

    public sealed record Settings(string Label);

    public override string Kind => "kv";

    public override string Description => "in-memory key-value fake";

    public override IReadOnlyList<string> Operations { get; } = ["get", "set"];

    public IReadOnlyCollection<string> FindingOperations { get; } = ["get"];

    /// <summary>The instance a scenario's store labelled <paramref name="label"/> runs against.</summary>
    public Instance this[string label] => _instances.GetOrAdd(label, _ => new Instance());

    public override Settings ParseSettings(ScenarioSection store) => new(store.GetString("label", required: true) ?? "");

    public override string RedactTarget(Settings settings) => settings.Label;

    public override object? ParseOperation(string operation, ScenarioSection entry) => new();

    public override IStoreDriver Create(Settings settings) => this[settings.Label];

    internal sealed class Instance : IStoreDriver, IPreloadingDriver, IExposesClient
    {
        private readonly ConcurrentDictionary<long, bool> _keys = new();
        private TaskCompletionSource _gate = Open();

        public TimeSpan Delay { get; set; }

        public bool Failing { get; set; }

        public long Calls;

        public void CloseGate() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        public void OpenGate() => _gate.TrySetResult();

        public Task<StoreInfo> ConnectAsync(CancellationToken cancellationToken) => Task.FromResult(new StoreInfo("kv", "fake", "1", "kv", "1"));

        public IStoreOperation CreateOperation(OperationDefinition operation, WorkloadContext workload) => new Call(this, workload, operation.Operation == "set");

        public ErrorKind Classify(Exception error) => error is TimeoutException ? ErrorKind.Timeout : ErrorKind.Other;

        public Task PreloadAsync(WorkloadContext workload, DataDefinition data, IProgress<long> progress, CancellationToken cancellationToken)
        {
            for (long i = 0; i < data.Keys; i++)
            {
                _keys[i] = true;
            }

            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        /// <summary>The fake's client is itself.</summary>
        public T? Client<T>() where T : class => this as T;

        public IReadOnlyList<Type> ClientTypes { get; } = [typeof(Instance)];

        private async ValueTask<bool> RunAsync(long key, bool set)
        {
            Interlocked.Increment(ref Calls);
            if (Delay > TimeSpan.Zero)
            {
                await Task.Delay(Delay);
            }

            await _gate.Task;
            await Task.Yield();
            if (Failing)
            {
                throw new TimeoutException("the fake timed out");
            }

            return set ? _keys[key] = true : _keys.ContainsKey(key);
        }

        private static TaskCompletionSource Open()
        {
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            gate.SetResult();
            return gate;
        }

        private sealed class Call(Instance store, WorkloadContext workload, bool set) : IFindingOperation
        {
            public async ValueTask ExecuteAsync(OperationRandom random, long sequence, CancellationToken cancellationToken) =>
                await store.RunAsync(workload.Distribution.Next(ref random, sequence), set);

            public async ValueTask<Finding> FindAsync(OperationRandom random, long sequence, CancellationToken cancellationToken) =>
                new(await store.RunAsync(workload.Distribution.Next(ref random, sequence), set), OperationMeasures.None);
        }
    }
}
