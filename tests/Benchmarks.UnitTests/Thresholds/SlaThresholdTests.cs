using Benchmarks.Core.Thresholds;

namespace Benchmarks.UnitTests.Thresholds;

public sealed class SlaThresholdTests
{
    [Theory]
    [InlineData("p(99) < 1ms", null, SlaMetric.Percentile, 99, 1.0)]
    [InlineData("get.p(99.9) <= 5ms", "get", SlaMetric.Percentile, 99.9, 5.0)]
    [InlineData("max < 50ms", null, SlaMetric.Max, 100, 50.0)]
    [InlineData("p(50) < 250us", null, SlaMetric.Percentile, 50, 0.25)]
    [InlineData("throughput >= 9900/s", null, SlaMetric.Throughput, 0, 9900)]
    [InlineData("errors < 0.1%", null, SlaMetric.Errors, 0, 0.1)]
    [InlineData("dropped == 0", null, SlaMetric.Dropped, 0, 0)]
    public void Thresholds_parse(string text, string? op, SlaMetric metric, double percentile, double target)
    {
        Assert.True(SlaThreshold.TryParse(text, out var t, out var problem), problem);
        Assert.Equal(op, t.Operation);
        Assert.Equal(metric, t.Metric);
        Assert.Equal(percentile, t.Percentile);
        Assert.Equal(target, t.Target, 9);
    }

    [Theory]
    [InlineData("p(101) < 1ms")]
    [InlineData("p(99) < 1")]
    [InlineData("latency < 1ms")]
    [InlineData("throughput >= -5/s")]
    [InlineData("errors < 101%")]
    [InlineData("get.dropped == 0")]
    public void Nonsense_is_refused(string text) => Assert.False(SlaThreshold.TryParse(text, out _, out _));

    [Fact]
    public void Verdicts_carry_margin_in_the_direction_of_the_comparison()
    {
        Assert.True(SlaThreshold.TryParse("p(99) < 1ms", out var latency, out _));
        Assert.True(latency.Holds(0.4));
        Assert.Equal(0.6, latency.Margin(0.4), 9);
        Assert.False(latency.Holds(1.0));
        Assert.Equal(-0.5, latency.Margin(1.5), 9);
        Assert.True(SlaThreshold.TryParse("throughput >= 100/s", out var rate, out _));
        Assert.True(rate.Holds(100));
        Assert.Equal(-10, rate.Margin(90), 9);
    }
}
