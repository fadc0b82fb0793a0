using System.Globalization;
using Benchmarks.Core.Execution;
using Benchmarks.Core.Recording;
using Benchmarks.Core.Parsing;

namespace Benchmarks.Core.Executors;

/// <summary>
/// Closed model: N workers, each starting its next operation when the previous one ends. For "maximum
/// throughput" questions. It cannot see coordinated omission (a stalled store also stalls the
/// workers), so corrected and uncorrected latency are the same here and the result says so.
/// </summary>
public sealed record ConstantConcurrency(int Workers, TimeSpan Duration) : ExecutorSettings
{
    public const string ExecutorName = "constant-concurrency";

    public static IExecutorKind Kind { get; } = new ExecutorKind(ExecutorName, ["concurrency", "duration"], (load, common) => new ConstantConcurrency(
            (int)load.GetInteger("concurrency", 0, min: 1, max: 100_000, required: true),
            load.GetDuration("duration", TimeSpan.Zero, min: TimeSpan.FromMilliseconds(100), required: common.OperationLimit is null)),
        key => key == "maxInFlight" ? "the concurrency is the number in flight" : null);

    public override string Name => ExecutorName;

    public override double? TargetRatePerSecond => null;

    public override TimeSpan MeasuredDuration => Duration;

    public override int? Concurrency => (int)Agent.Share(Workers);

    public override string Describe() => string.Create(CultureInfo.InvariantCulture, $"{Concurrency} workers for {Units.FormatDuration(Duration)}{AgentSuffix}");

    public override IExecutor CreateExecutor(WindowBounds bounds) => new Engine(this, bounds);

    private sealed class Engine(ConstantConcurrency settings, WindowBounds bounds) : IExecutor
    {
        public bool CorrectsCoordinatedOmission => false;

        public async Task<ExecutionStats> RunAsync(OperationRunner runner, RunClock clock, CancellationToken cancellationToken)
        {
            long sequence = -1;
            long measuredStarted = 0;
            var end = clock.PlannedEndTicks;
            var limit = bounds.OperationLimit;

            async Task Worker()
            {
                // Task.Delay rounds to milliseconds and may wake a little early: wait out the rest in steps.
                while (Timing.Now < clock.StartTicks)
                {
                    await Task.Delay(TimeSpan.FromSeconds(Math.Max(0.001, Timing.ToSeconds(clock.StartTicks - Timing.Now))), CancellationToken.None);
                }

                await Task.Yield();
                while (!cancellationToken.IsCancellationRequested)
                {
                    var start = Timing.Now;
                    if (start >= end)
                    {
                        return;
                    }

                    var measured = start >= clock.MeasureStartTicks;
                    if (measured && Interlocked.Increment(ref measuredStarted) > (limit ?? long.MaxValue))
                    {
                        return;
                    }

                    // An agent's operations take its own sequence numbers of the whole run, so that agents draw different keys.
                    await runner.RunAsync(settings.Agent.SequenceOf(Interlocked.Increment(ref sequence)), null, measured);
                }
            }

            var workers = Enumerable.Range(0, settings.Concurrency ?? settings.Workers).Select(_ => Worker()).ToArray();
            var all = Task.WhenAll(workers);
            try
            {
                var untilEnd = TimeSpan.FromSeconds(Timing.ToSeconds(Math.Max(0, end - Timing.Now)));
                await all.WaitAsync(untilEnd + bounds.DrainTimeout, CancellationToken.None);
            }
            catch (TimeoutException)
            {
            }

            var unfinished = workers.Count(w => !w.IsCompleted);
            var scheduled = Math.Min(limit ?? long.MaxValue, Interlocked.Read(ref measuredStarted));
            return new ExecutionStats(scheduled, 0, unfinished, Timing.Now, null);
        }
    }
}
