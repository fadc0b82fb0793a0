using Benchmarks.Core.Recording;
using Benchmarks.Core.Thresholds;
using HdrHistogram;

namespace Benchmarks.UnitTests.Thresholds;

/// <summary>Abort rules: what they read, and that they fire on the second their condition has held long enough, not before.</summary>
public sealed class AbortRuleTests
{
    [Theory]
    [InlineData("errors > 5% for 10s", null, SlaMetric.Errors, 10)]
    [InlineData("get.p(99) > 50ms for 30s", "get", SlaMetric.Percentile, 30)]
    [InlineData("max >= 1s for 1.5s", null, SlaMetric.Max, 2)]
    public void A_rule_is_a_condition_and_how_long_it_must_hold(string text, string? op, SlaMetric metric, int seconds)
    {
        Assert.True(AbortRule.TryParse(text, out var rule, out var problem), problem);
        Assert.Equal((op, metric, seconds), (rule.Condition.Operation, rule.Condition.Metric, rule.Seconds));
    }

    [Theory]
    [InlineData("errors > 5%", "not for how long")]
    [InlineData("errors > 5% for 500ms", "a second or more")]
    [InlineData("throughput < 100/s for 10s", "watches latency")]
    [InlineData("p(99) >> 5ms for 10s", "'> 5ms' in 'p(99) >> 5ms' is not a duration")]
    public void Mistakes_say_what_is_wrong(string text, string message)
    {
        Assert.False(AbortRule.TryParse(text, out _, out var problem));
        Assert.Contains(message, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Abort_rules_are_read_with_the_scenario_and_checked_against_the_mix()
    {
        var s = TestScenarios.Load(TestScenarios.ValidRedis + "\nabortOn: [ \"errors > 5% for 10s\", \"p(99) > 50ms for 30s\" ]\n");
        Assert.Equal(["errors > 5% for 10s", "p(99) > 50ms for 30s"], s.AbortOn.Select(r => r.Text));
        var error = Assert.Single(TestScenarios.Errors(TestScenarios.ValidRedis + "\nabortOn: [ \"nosuch.p(99) > 50ms for 30s\" ]\n"));
        Assert.Contains("'nosuch' is not an operation of the mix", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_watch_fires_on_the_third_bad_second_in_a_row_and_a_good_second_resets_it()
    {
        Assert.True(AbortRule.TryParse("p(99) > 50ms for 3s", out var latency, out _));
        Assert.True(AbortRule.TryParse("errors > 10% for 2s", out var errors, out _));
        var watch = new AbortWatch([latency, errors]);
        var fast = Interval(10);
        var slow = Interval(80);

        // bad, bad, good, bad, bad: never three in a row, and errors stay at 5%.
        foreach (var h in new[] { slow, slow, fast, slow, slow })
        {
            Assert.False(watch.Observe(1, _ => (h, 5)));
        }

        Assert.True(watch.Observe(6, _ => (slow, 5)));
        Assert.Contains("'p(99) > 50ms for 3s' fired 6 s into the measured window", watch.Fired, StringComparison.Ordinal);
        Assert.Contains("80", watch.Fired, StringComparison.Ordinal);
        Assert.False(watch.Observe(7, _ => (slow, 5)));
    }

    [Fact]
    public void An_error_rate_rule_counts_errors_among_attempts_and_a_second_with_nothing_breaks_the_streak()
    {
        Assert.True(AbortRule.TryParse("errors > 10% for 2s", out var rule, out _));
        var watch = new AbortWatch([rule]);
        Assert.False(watch.Observe(1, _ => (Interval(10), 50)));   // 50 errors of 150 attempts: 33%
        Assert.False(watch.Observe(2, _ => (Histograms.Create(), 0))); // nothing attempted: no judgement, the streak ends
        Assert.False(watch.Observe(3, _ => (Interval(10), 50)));
        Assert.True(watch.Observe(4, _ => (Interval(10), 50)));
    }

    /// <summary>100 operations at <paramref name="ms"/> milliseconds.</summary>
    private static HistogramBase Interval(double ms)
    {
        var h = Histograms.Create();
        h.RecordValueWithCount((long)(ms * 1000), 100);
        return h;
    }
}
