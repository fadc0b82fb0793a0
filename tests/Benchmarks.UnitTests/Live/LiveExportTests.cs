using Benchmarks.Core.Agents;
using Benchmarks.Core.Execution;
using Benchmarks.Core.Live;
using Benchmarks.Core.Recording;
using Benchmarks.Core.Running;
using Benchmarks.Core.Stores;
using Benchmarks.Telemetry;
using Benchmarks.UnitTests.Cli;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Benchmarks.UnitTests.Live;

/// <summary>
/// What the OpenTelemetry SDK receives (its in-memory exporter, with the harness's own meter and views): every
/// instrument with its attributes, latencies in the fixed buckets, and agents' histograms adding up to the merged run.
/// </summary>
// Agents keep to a schedule of their own (start instants, lockstep windows): they run alone, as the executor tests do.
[Collection("TimingSensitive")]
public sealed class LiveExportTests() : TempFolderTests("bench-live-")
{
    [Fact]
    public void Every_instrument_arrives_with_its_attributes_and_the_intervals_figures()
    {
        var exported = new List<MetricSnapshot>();
        using var provider = LiveExport.Instruments(Sdk.CreateMeterProviderBuilder(), "test").AddInMemoryExporter(exported).Build()!;
        using var live = new LiveMetrics();
        var read = FeedOneInterval(live, "live-attributes", agent: 3);
        provider.ForceFlush();

        var duration = Points(exported, LiveInstruments.Duration, "live-attributes");
        var readPoint = duration.Single(p => Tag(p, LiveInstruments.Operation) == "read");
        Assert.Equal("live-attributes", Tag(readPoint, LiveInstruments.Scenario));
        Assert.Equal("3", Tag(readPoint, LiveInstruments.Agent));
        Assert.Equal(read.TotalCorrected.TotalCount, readPoint.GetHistogramCount());
        Assert.Equal(1, duration.Single(p => Tag(p, LiveInstruments.Operation) == "write").GetHistogramCount());
        // The buckets are the fixed ones, and each latency sits in the bucket its value belongs to: 1 µs–1 ms.
        var buckets = Buckets(readPoint);
        Assert.Equal(LiveInstruments.LatencyBuckets, buckets.Where(b => double.IsFinite(b.Bound)).Select(b => b.Bound));
        Assert.Equal(10, buckets.First().Count); // 1..10 µs in the first bucket, up to 10 µs
        Assert.Equal(1000, buckets.Where(b => b.Bound <= 0.0011).Sum(b => b.Count));
        Assert.InRange(readPoint.GetHistogramSum(), 0.4995, 0.5015); // the sum of 1..1000 µs (bucket values: 0.1 %)

        var errors = Points(exported, LiveInstruments.Errors, "live-attributes");
        Assert.Equal(2, errors.Single(p => Tag(p, LiveInstruments.Operation) == "read" && Tag(p, LiveInstruments.ErrorType) == "timeout").GetSumLong());
        Assert.Equal(1, errors.Single(p => Tag(p, LiveInstruments.Operation) == "write" && Tag(p, LiveInstruments.ErrorType) == "throttled").GetSumLong());

        var usage = Assert.Single(Points(exported, LiveInstruments.StoreUsage, "live-attributes"));
        Assert.Equal(StoreMetric.RequestUnits, Tag(usage, LiveInstruments.Metric));
        Assert.Equal(2500, usage.GetSumDouble(), 6);

        Assert.Equal(500, Assert.Single(Points(exported, LiveInstruments.TargetRate, "live-attributes")).GetGaugeLastValueDouble());
        Assert.Equal(1, Assert.Single(Points(exported, LiveInstruments.Dropped, "live-attributes")).GetSumLong());
        Assert.Equal(200e-6, Assert.Single(Points(exported, LiveInstruments.LagP99, "live-attributes")).GetGaugeLastValueDouble(), 7);
        Assert.Equal("3", Tag(Assert.Single(Points(exported, LiveInstruments.LagMax, "live-attributes")), LiveInstruments.Agent));
    }

    [Fact]
    public async Task Two_agents_histograms_add_up_to_the_merged_runs_count_bucket_by_bucket_of_the_fixed_boundaries()
    {
        var exported = new List<MetricSnapshot>();
        using var provider = LiveExport.Instruments(Sdk.CreateMeterProviderBuilder(), "test").AddInMemoryExporter(exported).Build()!;
        using var live = new LiveMetrics();
        var scenario = TestScenarios.Noop("{ executor: constant-arrival-rate, rate: 2000/s, duration: 2s, warmup: 0.5s }") with { Name = "live-agents", Sla = [] };
        var run = Path.Combine(Folder.FullName, "run");
        var startAt = DateTimeOffset.UtcNow.AddSeconds(1.5);
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 2).Select(async i =>
        {
            var slice = new AgentSlice(i, 2);
            using var agent = new AgentRun(slice, startAt, new FolderLocation(run), scenario.Name, TimeSpan.Zero);
            return await new ScenarioRunner(TestScenarios.Catalog).RunAsync(AgentShare.Of(scenario, slice),
                new RunOptions(agent.Folder, [], SilentProgress.Instance) { Agent = agent, Live = live }, TestContext.Current.CancellationToken);
        }));
        provider.ForceFlush();
        var inputs = outcomes.Select((o, i) => new AgentInput(i, o.OutputDirectory, AgentManifest.Read(Path.Combine(o.OutputDirectory, AgentLayout.Manifest)), o.Result)).ToList();
        var merged = AgentMerge.Merge(scenario, 2, inputs, Path.Combine(Folder.FullName, "merged")).Result;

        var points = Points(exported, LiveInstruments.Duration, "live-agents").ToList();
        Assert.Equal(["0", "1"], points.Select(p => Tag(p, LiveInstruments.Agent)).Order());
        Assert.All(points, p => Assert.Equal(outcomes[int.Parse(Tag(p, LiveInstruments.Agent)!, System.Globalization.CultureInfo.InvariantCulture)].Result.Total.Count, p.GetHistogramCount()));
        Assert.Equal(merged.Total.Count, points.Sum(p => p.GetHistogramCount()));
        Assert.InRange(merged.Total.Count, 3990, 4010);
        // What a backend does to aggregate: add the agents' buckets. The sum has the merged count in the same boundaries.
        var summed = points.Select(Buckets).Aggregate((a, b) => [.. a.Zip(b, (x, y) => (x.Bound, x.Count + y.Count))]);
        Assert.Equal(merged.Total.Count, summed.Sum(b => b.Count));
        var targets = Points(exported, LiveInstruments.TargetRate, "live-agents");
        Assert.Equal(2000, targets.Sum(p => p.GetGaugeLastValueDouble()));
    }

    /// <summary>
    /// One run's interval through <paramref name="live"/>: 1 000 reads of 1–1 000 µs at 2.5 RU each (and a rate, not
    /// additive), one 50 ms write, two read timeouts, one throttled write, a 200 µs scheduling lag, one drop; target 500/s.
    /// </summary>
    internal static OperationRecorder FeedOneInterval(LiveMetrics live, string scenario, int agent)
    {
        var ru = new StoreMetric(StoreMetric.RequestUnits, "RU", "request charge", Decimals: 2);
        var rate = new StoreMetric("rows_per_s", "rows/s", "a rate", Additive: false);
        using var session = new RecordingSession([new RecorderPlan("read", "read", null, [ru, rate]), new RecorderPlan("write", "write", null, [])], null, SilentProgress.Instance, Timing.Now);
        live.Follow(session, scenario, agent, targetRate: 500);
        session.Start(Timing.Now, 1, 500);
        var read = session.Recorders[0];
        for (var i = 1; i <= 1000; i++)
        {
            read.RecordSuccess(correctedMicros: i, uncorrectedMicros: i);
            read.RecordMeasures(OperationMeasures.None.With(ru, 2.5).With(rate, 10));
        }

        session.Recorders[1].RecordSuccess(50_000, 40_000);
        read.RecordError(ErrorKind.Timeout);
        read.RecordError(ErrorKind.Timeout);
        session.Recorders[1].RecordError(ErrorKind.Throttled);
        session.RecordSchedulingLag(200);
        session.RecordDropped(byGenerator: true);
        session.Stop();
        return read;
    }

    /// <summary>The points of <paramref name="scenario"/>'s runs: the provider also sees the meters of other tests running beside this one.</summary>
    private static List<MetricPoint> Points(List<MetricSnapshot> exported, string name, string scenario)
    {
        // Cumulative: the latest snapshot of an instrument holds the whole run.
        var snapshot = exported.LastOrDefault(m => m.Name == name);
        Assert.True(snapshot is not null, $"{name} was not exported");
        return [.. snapshot.MetricPoints.Where(p => Tag(p, LiveInstruments.Scenario) == scenario)];
    }

    private static string? Tag(MetricPoint point, string key)
    {
        foreach (var tag in point.Tags)
        {
            if (tag.Key == key)
            {
                return tag.Value?.ToString();
            }
        }

        return null;
    }

    private static List<(double Bound, long Count)> Buckets(MetricPoint point)
    {
        var list = new List<(double, long)>();
        foreach (var bucket in point.GetHistogramBuckets())
        {
            list.Add((bucket.ExplicitBound, bucket.BucketCount));
        }

        return list;
    }
}
