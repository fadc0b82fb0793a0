namespace Benchmarks.Core.Recording;

/// <summary>Where a run reports how it is going: a live terminal line, or plain periodic lines in CI logs.</summary>
public interface IRunProgress
{
    void Phase(string message);

    void Preload(long done, long total);

    void Interval(ProgressSample sample);
}

/// <summary>One interval (a second, or the shorter last one) of the measured window, for the total of all operations.</summary>
public sealed record ProgressSample(double ElapsedSeconds, double PlannedSeconds, double IntervalSeconds, double RatePerSecond, double? TargetRatePerSecond, double P99Ms, double MaxMs, long Errors, long Count);

public sealed class SilentProgress : IRunProgress
{
    public static readonly SilentProgress Instance = new();

    public void Phase(string message) { }

    public void Preload(long done, long total) { }

    public void Interval(ProgressSample sample) { }
}
