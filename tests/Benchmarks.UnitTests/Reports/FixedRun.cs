using Benchmarks.Core.Recording;
using Benchmarks.Core.Results;

namespace Benchmarks.UnitTests.Reports;

/// <summary>A fixed, fully deterministic run for golden-file and gate tests.</summary>
internal static class FixedRun
{
    /// <summary>Writes <paramref name="result"/> as the result.json of <paramref name="folder"/>, as a run leaves it; returns the folder.</summary>
    public static string Save(string folder, RunResult result)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, OutputFileNames.Result), ResultJson.Serialize(result));
        return folder;
    }

    public static RunOutcome Create(string directory, double latencyScale = 1.0, int seconds = 10)
    {
        var corrected = Histograms.Create();
        var uncorrected = Histograms.Create();
        for (var i = 1; i <= 10_000; i++)
        {
            corrected.RecordValue((long)(latencyScale * (50 + (i % 1000))));
            uncorrected.RecordValue((long)(latencyScale * (40 + (i % 800))));
        }

        var latency = new LatencyPair(LatencySummaries.From(corrected), LatencySummaries.From(uncorrected));
        var errors = new ErrorCounts(0, 0, new Dictionary<string, long> { ["timeout"] = 0, ["connection"] = 0, ["server"] = 0, ["client"] = 0, ["other"] = 0 });
        var op = new OperationResult("get", "get", 10_000, errors, 1000, latency);
        var total = op with { Name = "total", Operation = "*" };
        var points = Enumerable.Range(0, seconds).Select(s => new IntervalPoint(2 + s, 1, 1000, 0,
            latencyScale * (0.55 + (0.01 * (s % 3))), latencyScale * (1.03 + (0.02 * (s % 4))), latencyScale * (1.05 + (0.01 * s)))
        {
            P90 = latencyScale * (0.95 + (0.01 * (s % 2))),
            P999 = latencyScale * (1.05 + (0.01 * (s % 5))),
        }).ToList();
        var result = new RunResult
        {
            Scenario = new ScenarioInfo("fixed", "A fixed run", "scenarios/fixed.yaml", 42, "redis", "127.0.0.1:6379", "constant-arrival-rate",
                "zipfian(0.99)", 1000, "bytes(100 B)", ["load.rate=1000/s"]),
            Status = RunStatus.Passed,
            StatusReasons = [],
            StartTime = new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero),
            DurationSeconds = seconds,
            WarmupSeconds = 2,
            Environment = new EnvironmentInfo("vm", 2, "Linux", ".NET 10.0", "x64", "1.0.0", false, "StackExchange.Redis", "3.0.0", "redis", "7.0.15") { GcGen0MaxBudgetBytes = 64 << 20, ReadyToRun = false },
            Load = new LoadSummary("constant-arrival-rate", 1000, 1000, 512, null, 10_000, 10_000, 0, 0, true),
            Operations = [op],
            Total = total,
            Sla =
            [
                new SlaVerdict("p(99) < 2ms", null, "p(99)", "<", 2, latency.Corrected.P99, "ms", 2 - latency.Corrected.P99, 100 * (2 - latency.Corrected.P99) / 2, true, false),
                new SlaVerdict("dropped == 0", null, "dropped", "==", 0, 0, "ops", 0, null, true, true),
            ],
            Generator = new GeneratorHealth(LatencySummaries.From(uncorrected), 1, 1.5, 0.015, new Dictionary<string, int> { ["gen0"] = 1 }, 12, LatencySummaries.From(uncorrected), 1000, 25, false, []),
            Intervals = [new IntervalSeries("get", points), new IntervalSeries("total", points)],
            Files = new OutputFiles("fixed.hlog", new Dictionary<string, string>(), "summary.md"),
        };
        return new RunOutcome(result, [new OperationHistograms("get", corrected, uncorrected), new OperationHistograms("total", corrected, uncorrected)], directory);
    }
}
