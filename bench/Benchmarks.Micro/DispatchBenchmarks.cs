using BenchmarkDotNet.Attributes;
using Benchmarks.Core.Execution;
using Benchmarks.Core.Recording;
using Benchmarks.Core.Stores;
using Benchmarks.Core.Workload;

namespace Benchmarks.Micro;

/// <summary>
/// The per-operation cost of the engine around a store call: choosing the operation from the mix,
/// the key from the distribution, timing it and recording it. Measured with a no-op store.
/// </summary>
[MemoryDiagnoser]
public class DispatchBenchmarks : IDisposable
{
    private OperationRunner _runner = null!;
    private RecordingSession? _session;
    private long _sequence;

    [GlobalSetup]
    public void Setup()
    {
        var factory = new NoopStoreFactory();
        var driver = factory.Create(new object());
        var mix = new[] { new OperationDefinition("noop", "noop", 95, null), new OperationDefinition("noop2", "noop", 5, null) };
        var workload = new WorkloadContext(1, "k:", new ZipfianKeys(100_000, 0.99), new ValueGenerator(new ValueDefinition(ValueKind.Bytes, Bytes: 16), 1));
        _runner = new OperationRunner(driver, [.. mix.Select(m => driver.CreateOperation(m, workload))], new OperationMix([95, 5]), 1,
            _session = new RecordingSession(["noop", "noop2"], null, SilentProgress.Instance, Timing.Now), CancellationToken.None);
    }

    public void Dispose()
    {
        _session?.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark(Description = "OperationRunner.RunAsync (mix pick, timing, record) with a no-op store")]
    public ValueTask RunNoop()
    {
        var n = _sequence++;
        return _runner.RunAsync(n, Timing.Now, measured: true);
    }

    /// <summary>
    /// The real open-model dispatcher over a schedule that is always due (1e12/s), so it never waits:
    /// what starting one operation costs it (schedule, slot, lag record, run, release).
    /// </summary>
    [Benchmark(Description = "OpenModelDispatcher per operation (no waiting, no-op store)", OperationsPerInvoke = DispatchedPerInvoke)]
    public Task<ExecutionStats> Dispatch()
    {
        var dispatcher = new OpenModelDispatcher(new ConstantSchedule(1e12, 0, 1), 1024, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1), DispatchedPerInvoke);
        var now = Timing.Now;
        return dispatcher.RunAsync(_runner, new RunClock(now, now, now + Timing.TicksPerSecond), null, CancellationToken.None);
    }

    private const int DispatchedPerInvoke = 100_000;
}
