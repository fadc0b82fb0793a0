using Benchmarks.Core.Execution;

namespace Benchmarks.UnitTests.Execution;

public sealed class ArrivalScheduleTests
{
    [Fact]
    public void Constant_schedule_keeps_sub_millisecond_gaps_exact()
    {
        var s = new ConstantSchedule(200_000, 0, 1);
        Assert.True(s.TryGetOffset(1, out var t1));
        Assert.True(s.TryGetOffset(3, out var t3));
        Assert.Equal(5e-6, t1, 12);
        Assert.Equal(15e-6, t3, 12);
        Assert.True(s.TryGetOffset(199_999, out _));
        Assert.False(s.TryGetOffset(200_000, out _));
    }

    [Fact]
    public void Constant_schedule_runs_warmup_first()
    {
        var s = new ConstantSchedule(100, 2, 3);
        Assert.Equal(2, s.MeasureStartSeconds);
        Assert.True(s.TryGetOffset(200, out var t));
        Assert.Equal(2.0, t, 9);
        Assert.False(s.TryGetOffset(500, out _));
    }

    [Fact]
    public void Ramping_schedule_starts_the_integral_of_the_rate()
    {
        // 0 -> 1000/s over 2 s (1000 ops), then 1000/s for 1 s (1000 ops).
        var s = new RampingSchedule(0, [(1000, 2), (1000, 1)], 0);
        long count = 0;
        while (s.TryGetOffset(count, out _))
        {
            count++;
        }

        Assert.InRange(count, 1999, 2001);
        Assert.True(s.TryGetOffset(500, out var half));
        Assert.Equal(Math.Sqrt(2), half, 3); // n = 250 t^2 => t = sqrt(500/250)
        Assert.True(s.TryGetOffset(1500, out var flat));
        Assert.Equal(2.5, flat, 3);
    }

    [Fact]
    public void Ramping_down_to_zero_ends_on_time()
    {
        var s = new RampingSchedule(1000, [(0, 2)], 0);
        long count = 0;
        double last = 0;
        while (s.TryGetOffset(count, out var t))
        {
            Assert.True(t >= last);
            last = t;
            count++;
        }

        Assert.InRange(count, 999, 1001);
        Assert.InRange(last, 1.9, 2.0);
    }
}
