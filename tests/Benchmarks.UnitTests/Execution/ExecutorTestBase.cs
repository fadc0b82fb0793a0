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
        var catalog = new StoreCatalog([store, new NoopStoreFactory()]);
        var scenario = new ScenarioLoader(catalog, _ => null).Load($"""
            name: exec
            store: {"{"} kind: fake {"}"}
            workload: {"{"} mix: [ {"{"} op: op {"}"} ] {"}"}
            load: {load}
            """, "exec.yaml");
        var run = new ScenarioRunner(catalog).RunAsync(scenario, new RunOptions(Output, [], SilentProgress.Instance), TestContext.Current.CancellationToken);
        if (during is not null)
        {
            await during(store);
        }

        return await run;
    }
}
