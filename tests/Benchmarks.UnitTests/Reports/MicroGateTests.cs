using System.Text.Json.Nodes;
using Benchmarks.Reports.Gate;
using Benchmarks.Reports.Micro;
using Benchmarks.UnitTests.Cli;

namespace Benchmarks.UnitTests.Reports;

/// <summary>The gate over BenchmarkDotNet full JSON exports: same rules as for runs.</summary>
public sealed class MicroGateTests() : TempFolderTests("bench-micro-")
{
    /// <summary>A minimal export in BenchmarkDotNet's full JSON shape.</summary>
    private string Export(string name, double scale = 1, double allocated = 0)
    {
        var benchmarks = new JsonArray();
        foreach (var (method, ns) in new[] { ("Record", 29.0), ("Dispatch", 560.0) })
        {
            var values = Enumerable.Range(0, 15).Select(i => scale * ns * (1 + (0.01 * (i % 5)))).ToArray();
            benchmarks.Add(new JsonObject
            {
                ["DisplayInfo"] = $"X.{method}: DefaultJob",
                ["Namespace"] = "Benchmarks.Micro",
                ["Type"] = "X",
                ["Method"] = method,
                ["MethodTitle"] = method,
                ["Parameters"] = "",
                ["FullName"] = $"Benchmarks.Micro.X.{method}",
                ["Statistics"] = new JsonObject
                {
                    ["OriginalValues"] = new JsonArray([.. values.Select(v => (JsonNode)v)]),
                    ["N"] = values.Length,
                    ["Mean"] = values.Average(),
                    ["Median"] = values.Order().ElementAt(values.Length / 2),
                },
                ["Memory"] = new JsonObject { ["BytesAllocatedPerOperation"] = allocated },
                ["Measurements"] = new JsonArray(),
            });
        }

        var path = Path.Combine(Folder.FullName, $"{name}-report-full.json");
        File.WriteAllText(path, new JsonObject { ["Title"] = "X", ["HostEnvironmentInfo"] = new JsonObject(), ["Benchmarks"] = benchmarks }.ToJsonString());
        return path;
    }

    [Fact]
    public void Exports_are_recognised_and_read()
    {
        var path = Export("a");
        Assert.True(MicroBenchmarkResults.IsBenchmarkDotNetJson(path));
        var (title, benchmarks) = MicroBenchmarkResults.Load(path);
        Assert.Equal("X", title);
        Assert.Equal(2, benchmarks.Count);
        Assert.Equal(15, benchmarks[0].SamplesNs.Length);
        Assert.False(MicroBenchmarkResults.IsBenchmarkDotNetJson(Path.Combine(Folder.FullName, "missing.json")));
    }

    [Fact]
    public void The_same_results_pass_doubled_times_and_more_allocation_fail()
    {
        var (_, a) = MicroBenchmarkResults.Load(Export("a"));
        Assert.False(MicroComparer.Compare("X", a, a).Regressed);
        var (_, slow) = MicroBenchmarkResults.Load(Export("slow", scale: 2));
        var c = MicroComparer.Compare("X", a, slow);
        Assert.True(c.Regressed);
        Assert.All(c.Metrics.Where(m => m.Metric == "time"), m => Assert.Equal(Verdicts.Regression, m.Verdict));
        var (_, allocating) = MicroBenchmarkResults.Load(Export("alloc", allocated: 24));
        Assert.Contains(MicroComparer.Compare("X", a, allocating).Metrics, m => m.Metric == "allocated" && m.Verdict == Verdicts.Regression);
    }

    [Fact]
    public async Task Compare_takes_exports_on_the_command_line_and_writes_a_micro_report()
    {
        var a = Export("a");
        var (same, _, err) = await CliHarness.RunAsync("compare", a, a, "--out", Path.Combine(Folder.FullName, "same"));
        Assert.True(same == 0, err);
        var (worse, output, _) = await CliHarness.RunAsync("compare", a, Export("slow", scale: 2), "--out", Path.Combine(Folder.FullName, "worse"));
        Assert.Equal(1, worse);
        Assert.Contains("REGRESSION", output, StringComparison.Ordinal);
        var html = File.ReadAllText(Path.Combine(Folder.FullName, "worse", "report.html"));
        Assert.Contains("Micro-benchmarks", html, StringComparison.Ordinal);
        Assert.Contains("<svg", html, StringComparison.Ordinal);
        var (bad, _, badErr) = await CliHarness.RunAsync("compare", a, a, "--tolerance", "p99=10%");
        Assert.Equal(2, bad);
        Assert.Contains("time, allocated", badErr, StringComparison.Ordinal);
        var (mixed, _, mixedErr) = await CliHarness.RunAsync("compare", a, Folder.FullName);
        Assert.Equal(2, mixed);
        Assert.Contains("is not a BenchmarkDotNet full JSON export", mixedErr, StringComparison.Ordinal);
    }
}
