using System.Text.Json;
using Benchmarks.UnitTests.Execution;

namespace Benchmarks.UnitTests.Cli;

[Collection(nameof(TimingSensitive))]
public sealed class CliTests() : TempFolderTests("bench-cli-")
{
    private string Write(string name, string yaml)
    {
        var path = Path.Combine(Folder.FullName, name);
        File.WriteAllText(path, yaml);
        return path;
    }

    private const string Noop = """
        name: noop-cli
        store: { kind: noop }
        workload: { mix: [ { op: noop, weight: 3 }, { op: yield, weight: 1 } ] }
        load:
          executor: constant-arrival-rate
          rate: 2000/s
          duration: 1s
          warmup: 1s
          # A no-op store has microsecond latencies, so any scheduling hiccup of this shared VM would
          # count as a large share of them: these tests are about the command line, not that.
          selfCheck: { maxLagShareOfP99: 1, maxSchedulingLagP99: 50ms }
        sla:
          - "p(99) < 1s"
          - "throughput >= 1900/s"
        """;

    [Fact]
    public async Task Bad_scenarios_exit_2_with_every_problem_located_and_no_stack_trace()
    {
        var bad = Write("bad.yaml", Noop.Replace("rate: 2000/s", "rate: -1/s", StringComparison.Ordinal).Replace("p(99) < 1s", "p(101) < 1s", StringComparison.Ordinal));
        var also = Write("also.yaml", "name: x\nstore: { kind: noop }\nworkload: { mix: [] }\nload: { executor: constant-arrival-rate, rate: 1/s, duration: 1s, colour: red }\n");
        var (code, _, err) = await CliHarness.RunAsync("run", bad, also, "--out", Folder.FullName);
        Assert.Equal(2, code);
        Assert.Contains($"{bad}:6:", err, StringComparison.Ordinal);
        Assert.Contains("rate '-1/s' is negative", err, StringComparison.Ordinal);
        Assert.Contains($"{bad}:13:", err, StringComparison.Ordinal);
        Assert.Contains($"{also}:3:", err, StringComparison.Ordinal);
        Assert.Contains("the operation mix is empty", err, StringComparison.Ordinal);
        Assert.Contains("unknown key 'load.colour'", err, StringComparison.Ordinal);
        Assert.Contains("nothing was run", err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(Folder.FullName, "noop-cli")));
    }

    [Fact]
    public async Task An_output_folder_that_cannot_be_written_is_bad_input_before_any_load()
    {
        // A folder inside a regular file cannot be created, even by root.
        var file = Write("a-file", "not a folder");
        var (code, output, err) = await CliHarness.RunAsync("run", Write("noop.yaml", Noop), "--out", Path.Combine(file, "reports"));
        Assert.Equal(2, code);
        Assert.Contains("cannot write there", err, StringComparison.Ordinal);
        Assert.Contains("nothing was run", err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
        Assert.DoesNotContain("measuring", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_files_and_unknown_options_are_bad_input()
    {
        var (code, _, err) = await CliHarness.RunAsync("validate", Path.Combine(Folder.FullName, "nope.yaml"));
        Assert.Equal(2, code);
        Assert.Contains("scenario file not found", err, StringComparison.Ordinal);
        (code, _, err) = await CliHarness.RunAsync("run", "--bogus");
        Assert.Equal(2, code);
        Assert.Contains("error:", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_accepts_a_good_file_and_the_repository_scenarios()
    {
        var (code, output, err) = await CliHarness.RunAsync(["validate", Write("ok.yaml", Noop), .. RepositoryScenarios()]);
        Assert.True(code == 0, err);
        Assert.Contains("ok ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_passing_run_exits_0_and_writes_every_output()
    {
        var outDir = Path.Combine(Folder.FullName, "out");
        var (code, output, err) = await CliHarness.RunAsync("run", Write("noop.yaml", Noop), "--out", outDir);
        Assert.True(code == 0, output + err);
        var run = Path.Combine(outDir, "noop-cli");
        foreach (var file in new[] { "result.json", "summary.md", "noop-cli.hlog", "noop.hgrm", "noop.uncorrected.hgrm", "yield.hgrm", "total.hgrm" })
        {
            Assert.True(File.Exists(Path.Combine(run, file)), file);
        }

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "result.json")));
        var root = json.RootElement;
        Assert.Equal(1, root.GetProperty("schemaVersion").GetInt32());
        Assert.Equal("passed", root.GetProperty("status").GetString());
        Assert.Equal(2000, root.GetProperty("total").GetProperty("count").GetInt64());
        var corrected = root.GetProperty("total").GetProperty("latency").GetProperty("corrected");
        foreach (var p in new[] { "p50", "p90", "p99", "p99.9", "p99.99", "max", "mean" })
        {
            Assert.True(corrected.TryGetProperty(p, out _), p);
        }

        Assert.Equal(3, root.GetProperty("sla").GetArrayLength());
        Assert.Contains("PASSED", output, StringComparison.Ordinal);
        Assert.Contains("report:", output, StringComparison.Ordinal);
        var hgrm = File.ReadAllText(Path.Combine(run, "total.hgrm"));
        Assert.Contains("Value     Percentile TotalCount 1/(1-Percentile)", hgrm, StringComparison.Ordinal);
        Assert.Contains("Total count    =         2000]", hgrm, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missed_sla_exits_1_and_says_which()
    {
        var scenario = Write("strict.yaml", Noop.Replace("throughput >= 1900/s", "throughput >= 5000/s", StringComparison.Ordinal));
        var (code, output, _) = await CliHarness.RunAsync("run", scenario, "--out", Folder.FullName);
        Assert.Equal(1, code);
        Assert.Contains("FAILED", output, StringComparison.Ordinal);
        Assert.Contains("SLA 'throughput >= 5000/s' not met", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_shows_scenarios_and_store_kinds()
    {
        Write("listed.yaml", Noop);
        var (code, output, _) = await CliHarness.RunAsync("list", "--dir", Folder.FullName);
        Assert.Equal(0, code);
        Assert.Contains("noop-cli", output, StringComparison.Ordinal);
        Assert.Contains("redis", output, StringComparison.Ordinal);
        Assert.Contains("pipeline", output, StringComparison.Ordinal);
    }

    internal static string[] RepositoryScenarios() =>
        Directory.GetFiles(RepositoryRoot.File("scenarios"), "*.yaml", SearchOption.AllDirectories);
}
