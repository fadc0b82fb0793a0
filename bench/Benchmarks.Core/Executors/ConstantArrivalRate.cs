using System.Globalization;
using Benchmarks.Core.Execution;
using Benchmarks.Core.Parsing;

namespace Benchmarks.Core.Executors;

/// <summary>Open model at a fixed rate: operation n is intended to start at n / rate.</summary>
public sealed record ConstantArrivalRate(double RatePerSecond, TimeSpan Duration, OpenModelLimits Limits) : ExecutorSettings
{
    public const string ExecutorName = "constant-arrival-rate";

    public static IExecutorKind Kind { get; } = new ExecutorKind(ExecutorName, ["rate", "duration", .. OpenModelLimits.Keys], Parse,
        key => key == "concurrency" ? "an arrival-rate executor starts operations on a schedule; bound them with maxInFlight" : null);

    public override string Name => ExecutorName;

    public override double? TargetRatePerSecond => RatePerSecond / Agent.Count;

    public override TimeSpan MeasuredDuration => Duration;

    public override int? MaxInFlight => Limits.Share(Agent);

    public override string Describe() => string.Create(CultureInfo.InvariantCulture, $"{RatePerSecond:0.##}/s for {Units.FormatDuration(Duration)}{AgentSuffix}");

    public override IExecutor CreateExecutor(WindowBounds bounds) =>
        new OpenModelEngine(Agent.Of(new ConstantSchedule(RatePerSecond, bounds.Warmup.TotalSeconds, Duration.TotalSeconds)), TargetRatePerSecond, Limits.Share(Agent), Limits.MaxLag, bounds);

    private static ConstantArrivalRate Parse(ScenarioSection load, LoadCommon common)
    {
        var rate = load.GetRate("rate", 0, required: true);
        var duration = load.GetDuration("duration", TimeSpan.Zero, min: TimeSpan.FromMilliseconds(100), required: common.OperationLimit is null);
        if (duration == TimeSpan.Zero && common.OperationLimit is { } n && rate > 0)
        {
            duration = TimeSpan.FromSeconds(n / rate);
        }

        return new ConstantArrivalRate(rate, duration, OpenModelLimits.Parse(load));
    }
}
