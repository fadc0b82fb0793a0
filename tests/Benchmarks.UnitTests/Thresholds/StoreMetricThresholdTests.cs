using Benchmarks.Core.Recording;
using Benchmarks.Core.Results;
using Benchmarks.Core.Stores;
using Benchmarks.Core.Thresholds;

namespace Benchmarks.UnitTests.Thresholds;

/// <summary>Thresholds on a store's own metrics and error kinds, and the recorder behind them.</summary>
public sealed class StoreMetricThresholdTests
{
    [Theory]
    [InlineData("ru.p(99) < 5", null, "ru", SlaMetric.StorePercentile, 99, 5)]
    [InlineData("read.ru.p(99.9) <= 10", "read", "ru", SlaMetric.StorePercentile, 99.9, 10)]
    [InlineData("ru.max < 50", null, "ru", SlaMetric.StoreMax, 100, 50)]
    [InlineData("rows_per_s >= 1000000", null, "rows", SlaMetric.StoreRate, 0, 1_000_000)]
    [InlineData("q.rows_per_s >= 1000000/s", "q", "rows", SlaMetric.StoreRate, 0, 1_000_000)]
    public void A_store_metric_threshold_is_read_with_its_operation_and_metric(string text, string? op, string metric, SlaMetric kind, double percentile, double target)
    {
        Assert.True(SlaThreshold.TryParse(text, out var t, out var problem), problem);
        Assert.Equal((op, metric, kind, percentile, target), (t.Operation, t.StoreMetric, t.Metric, t.Percentile, t.Target));
    }

    [Fact]
    public void A_prefix_with_a_duration_is_still_an_operation_latency()
    {
        Assert.True(SlaThreshold.TryParse("get.p(99) < 5ms", out var t, out _));
        Assert.Equal(("get", null, SlaMetric.Percentile, 5.0), (t.Operation, t.StoreMetric, t.Metric, t.Target));
    }

    [Theory]
    [InlineData("throttled < 0.5%", null, "throttled", true, 0.5)]
    [InlineData("read.not-found == 0", "read", "not-found", false, 0)]
    [InlineData("constraint < 10", null, "constraint", false, 10)]
    public void An_error_kind_threshold_counts_that_kind(string text, string? op, string kind, bool ratio, double target)
    {
        Assert.True(SlaThreshold.TryParse(text, out var t, out var problem), problem);
        Assert.Equal((op, SlaMetric.ErrorKind, kind, ratio, target), (t.Operation, t.Metric, t.ErrorKindName, t.TargetIsRatio, t.Target));
        Assert.Equal(kind, t.MetricName);
    }

    [Fact]
    public void The_recorder_counts_zeros_keeps_an_exact_sum_and_reads_percentiles_in_the_metric_unit()
    {
        var recorder = new StoreMetricRecorder(new StoreMetric("ru", "RU", "request charge", Decimals: 2));
        for (var i = 0; i < 50; i++)
        {
            recorder.Record(0);
        }

        for (var i = 0; i < 49; i++)
        {
            recorder.Record(5.71);
        }

        recorder.Record(123.45);
        recorder.Record(double.NaN);

        Assert.Equal(100, recorder.Count);
        Assert.Equal(50, recorder.Zeros);
        Assert.Equal((49 * 5.71) + 123.45, recorder.Sum, 9);
        Assert.Equal(0, recorder.ValueAtPercentile(50));
        Assert.Equal(5.71, recorder.ValueAtPercentile(51), 2);
        Assert.Equal(5.71, recorder.ValueAtPercentile(99), 2);
        // Three significant digits: the top value is its bucket's highest equivalent, within 0.1%.
        Assert.InRange(recorder.ValueAtPercentile(100), 123.45, 123.45 * 1.001);
    }

    [Fact]
    public void Concurrent_writers_lose_nothing()
    {
        var recorder = new StoreMetricRecorder(new StoreMetric("rows", "rows", "rows"));
        Parallel.For(0, 8, _ =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                recorder.Record(2);
            }
        });
        Assert.Equal(80_000, recorder.Count);
        Assert.Equal(160_000, recorder.Sum);
    }

    [Fact]
    public void A_store_metric_threshold_is_judged_on_its_operation_and_on_the_whole_mix()
    {
        var ru = new StoreMetric("ru", "RU", "request charge", Decimals: 2);
        var read = new StoreMetricRecorder(ru);
        var write = new StoreMetricRecorder(ru);
        for (var i = 0; i < 100; i++)
        {
            read.Record(1);
            write.Record(i < 90 ? 6 : 60);
        }

        var latency = Histograms.Create();
        latency.RecordValue(1000);
        OperationHistograms Data(string name, params StoreMetricRecorder[] recorders) => new(name, latency, latency)
        {
            Metrics = new Dictionary<string, StoreMetricValues> { ["ru"] = StoreMetricValues.Merge([.. recorders.Select(r => r.Snapshot())]) },
        };
        var data = new Dictionary<string, OperationHistograms> { ["read"] = Data("read", read), ["write"] = Data("write", write), ["total"] = Data("total", read, write) };
        var none = new ErrorCounts(0, 0, new Dictionary<string, long>());
        var pair = new LatencyPair(LatencySummaries.From(latency), LatencySummaries.From(latency));
        var results = data.Keys.ToDictionary(k => k, k => new OperationResult(k, k, 100, none, 100, pair));
        var load = new LoadSummary("constant-arrival-rate", 200, 200, 64, null, 200, 200, 0, 0, true);
        SlaThreshold Parse(string text) => SlaThreshold.TryParse(text, out var t, out var problem) ? t : throw new InvalidOperationException(problem);

        var verdicts = SlaEvaluator.Evaluate(
            [Parse("read.ru.p(99) < 5"), Parse("write.ru.p(95) < 5"), Parse("ru.p(50) < 5"), Parse("ru.max < 50")], data, results, load);

        Assert.Equal([1.0, 60, 1, 60], verdicts.Select(v => Math.Round(v.Measured, 1)));
        Assert.Equal([true, false, true, false], verdicts.Select(v => v.Passed));
    }
}
