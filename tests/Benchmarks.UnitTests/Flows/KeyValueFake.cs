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
    public Instance this[string label] => _instances.GetOrAdd(label, l => new Instance(l));

    public override Settings ParseSettings(ScenarioSection store) => new(store.GetString("label", required: true) ?? "");

    public override string RedactTarget(Settings settings) => settings.Label;

    public override object? ParseOperation(string operation, ScenarioSection entry) => new();

    public override IStoreDriver Create(Settings settings) => this[settings.Label];

    internal sealed class Instance(string label) : IStoreDriver, IPreloadingDriver, IExposesClient
    {
        private readonly string _label = label;

        private readonly ConcurrentDictionary<long, byte[]> _keys = new();
        private TaskCompletionSource _gate = Open();

        public TimeSpan Delay { get; set; }

        /// <summary>What the instance holds at <paramref name="key"/>; null when nothing.</summary>
        public byte[]? ValueAt(long key) => _keys.TryGetValue(key, out var value) ? value : null;

        public bool Failing { get; set; }

        /// <summary>Whether a miss is an error in a mix (a document store's 404) or an answer (a cache's nil).</summary>
        public bool MissIsError { get; set; }

        public long Calls;

        public void CloseGate() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        public void OpenGate() => _gate.TrySetResult();

        public Task<StoreInfo> ConnectAsync(CancellationToken cancellationToken) => Task.FromResult(new StoreInfo("kv", "fake", "1", "kv", "1"));

        public IStoreOperation CreateOperation(OperationDefinition operation, WorkloadContext workload) => new Call(this, workload, operation.Operation == "set");

        public ErrorKind Classify(Exception error) => error is TimeoutException ? ErrorKind.Timeout : ErrorKind.Other;

        public Task PreloadAsync(WorkloadContext workload, DataDefinition data, IProgress<long> progress, CancellationToken cancellationToken)
        {
            // Each instance's values are its own (its label, the key), so a copy from one to another can be told apart from a write of its own.
            for (long i = 0; i < data.Keys; i++)
            {
                _keys[i] = System.Text.Encoding.UTF8.GetBytes($"{_label}:{i}");
            }

            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        /// <summary>The fake's client is itself.</summary>
        public T? Client<T>() where T : class => this as T;

        public IReadOnlyList<Type> ClientTypes { get; } = [typeof(Instance)];

        private async ValueTask<byte[]?> RunAsync(long key, bool set, ReadOnlyMemory<byte> value = default)
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

            return set ? _keys[key] = value.IsEmpty ? System.Text.Encoding.UTF8.GetBytes($"generated:{key}") : value.ToArray() : ValueAt(key);
        }

        private static TaskCompletionSource Open()
        {
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            gate.SetResult();
            return gate;
        }

        private sealed class Call(Instance store, WorkloadContext workload, bool set) : IFindingOperation, IValueWritingOperation
        {
            public async ValueTask ExecuteAsync(OperationRandom random, long sequence, CancellationToken cancellationToken) =>
                await store.RunAsync(workload.Distribution.Next(ref random, sequence), set);

            public async ValueTask<Finding> FindAsync(OperationRandom random, long sequence, CancellationToken cancellationToken)
            {
                var value = await store.RunAsync(workload.Distribution.Next(ref random, sequence), set);
                return new Finding(value is not null, OperationMeasures.None) { Value = value ?? default(ReadOnlyMemory<byte>), MissIsError = store.MissIsError };
            }

            public async ValueTask WriteAsync(OperationRandom random, long sequence, ReadOnlyMemory<byte> value, CancellationToken cancellationToken) =>
                await store.RunAsync(workload.Distribution.Next(ref random, sequence), set: true, value);
        }
    }
}
