namespace Benchmarks.Core.Execution;

/// <summary>
/// When the n-th operation should start, in seconds from the start of the run (warm-up included).
/// Times are exact fractions, never rounded to a timer's tick: at 200k/s they are 5 µs apart.
/// </summary>
public interface IArrivalSchedule
{
    /// <summary>False when operation <paramref name="n"/> falls after the end of the run.</summary>
    bool TryGetOffset(long n, out double seconds);

    /// <summary>Offset at which measurement starts (the end of warm-up).</summary>
    double MeasureStartSeconds { get; }

    double EndSeconds { get; }

    /// <summary>The sequence number operation <paramref name="n"/> of this schedule has in the whole run: n itself, unless the schedule is one agent's slice.</summary>
    long SequenceOf(long n) => n;
}

/// <summary>A constant rate for warm-up and measurement alike.</summary>
public sealed class ConstantSchedule(double ratePerSecond, double warmupSeconds, double durationSeconds) : IArrivalSchedule
{
    public double MeasureStartSeconds => warmupSeconds;

    public double EndSeconds => warmupSeconds + durationSeconds;

    public bool TryGetOffset(long n, out double seconds)
    {
        seconds = n / ratePerSecond;
        return seconds < EndSeconds;
    }
}

/// <summary>
/// Stages of linearly changing rate (k6's ramping-arrival-rate). Within a stage from rate a to b over
/// T seconds, the count of arrivals by time t is a·t + (b−a)·t²/2T; the n-th arrival solves that quadratic.
/// Warm-up runs at the starting rate (or the first target when the start is zero).
/// </summary>
public sealed class RampingSchedule : IArrivalSchedule
{
    private readonly double _warmupRate;
    private readonly long _warmupCount;
    private readonly double _warmupSeconds;
    private readonly (double StartRate, double EndRate, double Seconds, double FirstCount, double StartOffset)[] _stages;
    private readonly double _totalCount;

    public RampingSchedule(double startRate, IReadOnlyList<(double TargetRate, double Seconds)> stages, double warmupSeconds)
    {
        _warmupSeconds = warmupSeconds;
        _warmupRate = startRate > 0 ? startRate : stages.Count > 0 ? stages[0].TargetRate : 0;
        _warmupCount = _warmupRate > 0 ? (long)Math.Ceiling(warmupSeconds * _warmupRate) : 0;
        _stages = new (double, double, double, double, double)[stages.Count];
        var rate = startRate;
        double count = 0, offset = 0;
        for (var i = 0; i < stages.Count; i++)
        {
            var (target, seconds) = stages[i];
            _stages[i] = (rate, target, seconds, count, offset);
            count += (rate + target) / 2 * seconds;
            offset += seconds;
            rate = target;
        }

        _totalCount = count;
        EndSeconds = warmupSeconds + offset;
    }

    public double MeasureStartSeconds => _warmupSeconds;

    public double EndSeconds { get; }

    public bool TryGetOffset(long n, out double seconds)
    {
        if (n < _warmupCount)
        {
            seconds = n / _warmupRate;
            return true;
        }

        double m = n - _warmupCount;
        seconds = 0;
        if (m >= _totalCount)
        {
            return false;
        }

        for (var i = _stages.Length - 1; i >= 0; i--)
        {
            var s = _stages[i];
            if (m < s.FirstCount)
            {
                continue;
            }

            var local = m - s.FirstCount;
            var a = (s.EndRate - s.StartRate) / (2 * s.Seconds);
            var disc = Math.Max(0, (s.StartRate * s.StartRate) + (4 * a * local));
            var denominator = s.StartRate + Math.Sqrt(disc);
            var t = denominator > 0 ? 2 * local / denominator : 0;
            seconds = _warmupSeconds + s.StartOffset + Math.Min(t, s.Seconds);
            return seconds < EndSeconds;
        }

        return false;
    }
}
