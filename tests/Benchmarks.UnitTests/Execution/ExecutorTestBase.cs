using Benchmarks.Core.Loading;
using Benchmarks.Core.Recording;
using Benchmarks.Core.Results;
using Benchmarks.Core.Running;
using Benchmarks.Core.Stores;

namespace Benchmarks.UnitTests.Execution;

[CollectionDefinition(nameof(TimingSensitive), DisableParallelization = true)]
public sealed class TimingSensitive;

/// <summary>Runs scenarios in-process against a fake store (or the no-op store) into a temporary folder.</summary>
public abstract class ExecutorTestBase : IDisposable
{
    protected string Output { get; }

    protected ExecutorTestBase() => Output = Directory.CreateTempSubdirectory("bench-exec-").FullName;

    public void Dispose()
    {
        Directory.Delete(Output, recursive: true);
        GC.SuppressFinalize(this);
    }

    private protected async Task<RunOutcome> Run(string load, FakeStore? fake = null, Func<FakeStore, Task>? during = null)
    {
        var store = fake ?? new FakeStore();
        var run = Run(store, load);
        if (during is not null)
        {
            await during(store);
        }

        return await run;
    }

    /// <summary>Runs <paramref name="load"/> on a store of the test's own, with its first operation as the mix.</summary>
    private protected Task<RunOutcome> Run(IStoreDriverFactory store, string load)
    {
        var catalog = new StoreCatalog([store, new NoopStoreFactory()]);
        var scenario = new ScenarioLoader(catalog, _ => null).Load($"""
            name: exec
            store: {"{"} kind: {store.Kind} {"}"}
            workload: {"{"} mix: [ {"{"} op: {store.Operations[0]} {"}"} ] {"}"}
            load: {load}
            """, "exec.yaml");
        return new ScenarioRunner(catalog).RunAsync(scenario, new RunOptions(Output, [], SilentProgress.Instance), TestContext.Current.CancellationToken);
    }
}
