using System.Globalization;
using Benchmarks.Core.Execution;
using Benchmarks.Core.Parsing;

namespace Benchmarks.Core.Executors;

/// <summary>Open model through stages of linearly changing rate; the target reported is the mean planned rate.</summary>
public sealed record RampingArrivalRate(double StartRatePerSecond, IReadOnlyList<RateStage> Stages, OpenModelLimits Limits) : ExecutorSettings
{
    public const string ExecutorName = "ramping-arrival-rate";

    public static IExecutorKind Kind { get; } = new ExecutorKind(ExecutorName, ["startRate", "stages", .. OpenModelLimits.Keys], Parse,
        key => key == "duration" ? "the stages' durations make the run's length" : null);

    public override string Name => ExecutorName;

    /// <summary>The mean planned rate over the stages.</summary>
    public override double? TargetRatePerSecond
    {
        get
        {
            double count = 0, rate = StartRatePerSecond, seconds = 0;
            foreach (var stage in Stages)
            {
                count += (rate + stage.TargetPerSecond) / 2 * stage.Duration.TotalSeconds;
                seconds += stage.Duration.TotalSeconds;
                rate = stage.TargetPerSecond;
            }

            return seconds > 0 ? count / seconds / Agent.Count : 0;
        }
    }

    public override TimeSpan MeasuredDuration => TimeSpan.FromTicks(Stages.Sum(s => s.Duration.Ticks));

    public override int? MaxInFlight => Limits.Share(Agent);

    public override string Describe() => string.Create(CultureInfo.InvariantCulture, $"{Stages.Count} stages over {Units.FormatDuration(MeasuredDuration)}{AgentSuffix}");

    public override IExecutor CreateExecutor(WindowBounds bounds) => new OpenModelEngine(
        Agent.Of(new RampingSchedule(StartRatePerSecond, [.. Stages.Select(s => (s.TargetPerSecond, s.Duration.TotalSeconds))], bounds.Warmup.TotalSeconds)),
        TargetRatePerSecond ?? 0, Limits.Share(Agent), Limits.MaxLag, bounds);

    private static RampingArrivalRate Parse(ScenarioSection load, LoadCommon common) =>
        new RampingArrivalRate(load.Has("startRate") ? RateOrZero(load, "startRate") : 0, ParseStages(load), OpenModelLimits.Parse(load));

    private static double RateOrZero(ScenarioSection section, string key)
    {
        var text = section.GetString(key);
        return text is not null && Units.TryParseRate(text, out var r) && r == 0 ? 0 : section.GetRate(key, 0);
    }

    private static List<RateStage> ParseStages(ScenarioSection section) =>
        [.. section.GetMappings("stages", "no stages", "add - { target: 1000/s, duration: 30s }", "{ target: 1000/s, duration: 30s }").Select(stage =>
        {
            var target = RateOrZero(stage, "target");
            if (!stage.Has("target"))
            {
                stage.GetRate("target", 0, required: true);
            }

            var duration = stage.GetDuration("duration", TimeSpan.Zero, min: TimeSpan.FromMilliseconds(100), required: true);
            stage.Complete();
            return new RateStage(target, duration);
        })];
}

/// <summary>One stage of a ramp: move linearly to <see cref="TargetPerSecond"/> over <see cref="Duration"/>.</summary>
public sealed record RateStage(double TargetPerSecond, TimeSpan Duration);
