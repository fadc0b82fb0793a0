using Benchmarks.Core.Agents;
using Benchmarks.Core.Execution;
using Benchmarks.Core.Recording;
using Benchmarks.Core.Results;
using Benchmarks.Core.Running;
using Benchmarks.Core.Scenarios;
using Benchmarks.Reports.Exporters;
using Benchmarks.Reports.History;
using Benchmarks.UnitTests.Cli;
using HdrHistogram;

namespace Benchmarks.UnitTests.Agents;

/// <summary>Agents of the no-op store run in this process, then merged: the merge is the exact sum, and an agent that never wrote is named.</summary>
// Agents keep to a schedule of their own (start instants, lockstep windows): they run alone, as the executor tests do.
[Collection("TimingSensitive")]
public sealed class AgentMergeTests() : TempFolderTests("bench-merge-")
{
    [Fact]
    public async Task Two_agents_merge_to_the_exact_sum_of_their_logs_and_a_third_that_never_ran_makes_the_run_incomplete()
    {
        var scenario = TestScenarios.Noop("{ executor: constant-arrival-rate, rate: 2000/s, duration: 3s, warmup: 0.5s }") with { Sla = [] };
        var run = Path.Combine(Folder.FullName, "run");
        var startAt = DateTimeOffset.UtcNow.AddSeconds(1.5);
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 2).Select(i => RunAgentAsync(scenario, new AgentSlice(i, 2), startAt, run)));
        var inputs = outcomes.Select((o, i) => new AgentInput(i, o.OutputDirectory, AgentManifest.Read(Path.Combine(o.OutputDirectory, AgentLayout.Manifest)), o.Result)).ToList();
        Assert.All(inputs, input => Assert.Equal(startAt, input.Manifest!.StartAt));

        var merged = AgentMerge.Merge(scenario, 2, inputs, Path.Combine(Folder.FullName, "merged")).Result;
        var agentLogs = outcomes.Select(o => Path.Combine(o.OutputDirectory, o.Result.Files.Hlog!)).ToList();
        var mergedLog = Path.Combine(Folder.FullName, "merged", merged.Files.Hlog!);
        Assert.Equal(RunStatus.Passed, merged.Status);
        // Both agents started at the same instant and dealt out one schedule: 2000/s for 3 s, all of it.
        Assert.InRange(merged.Total.Count, 5998, 6002);
        Assert.Equal(outcomes.Sum(o => o.Result.Total.Count), merged.Total.Count);
        Assert.Equal(2000, merged.Load.TargetRatePerSecond);
        Assert.Equal(Buckets(agentLogs, null), Buckets([mergedLog], null));
        Assert.Equal(Buckets(agentLogs, "noop.uncorrected"), Buckets([mergedLog], "noop.uncorrected"));
        Assert.Equal(merged.Total.Count, merged.Intervals.Single(s => s.Operation == "total").Points.Sum(p => p.Count));
        Assert.All(merged.Agents!, a => Assert.Equal(AgentResult.Finished, a.State));
        Assert.Equal(merged.Agents!.Sum(a => a.Count), merged.Total.Count);

        var short1 = AgentMerge.Merge(scenario, 3, inputs, Path.Combine(Folder.FullName, "incomplete")).Result;
        Assert.Equal(RunStatus.Incomplete, short1.Status);
        Assert.Equal(3, RunStatus.ExitCode(short1.Status));
        Assert.Equal(AgentResult.Missing, short1.Agents![2].State);
        Assert.Contains(short1.StatusReasons, r => r.StartsWith("agent 2 is missing", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Following_the_agents_judges_abort_rules_on_their_merged_seconds_and_stops_every_agent()
    {
        // The agents run without the rule; whoever follows the run judges it on all of them together.
        var scenario = TestScenarios.Noop("{ executor: constant-arrival-rate, rate: 1000/s, duration: 30s, warmup: 0.5s }") with { Sla = [] };
        var watched = TestScenarios.Load("""
            name: noop
            store: { kind: noop }
            workload: { mix: [ { op: noop } ] }
            load: { executor: constant-arrival-rate, rate: 1000/s, duration: 30s, warmup: 0.5s }
            abortOn: [ "p(99) > 0.0001ms for 2s" ]
            """);
        var run = Path.Combine(Folder.FullName, "followed");
        var startAt = DateTimeOffset.UtcNow.AddSeconds(1.5);
        var follow = new AgentFollow(watched, new FolderLocation(run), scenario.Name, SilentProgress.Instance).FollowAsync(TestContext.Current.CancellationToken);
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 2).Select(i => RunAgentAsync(scenario, new AgentSlice(i, 2), startAt, run)));
        // It ends when every agent has written its result, not at the planned end.
        var why = await follow.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);

        Assert.StartsWith("abort rule 'p(99) > 0.0001ms for 2s' fired 2 s into the measured window", why, StringComparison.Ordinal);
        Assert.Equal(why, File.ReadAllText(Path.Combine(run, scenario.Name, AgentLayout.StopSignal)));
        Assert.All(outcomes, o =>
        {
            Assert.Equal(RunStatus.Aborted, o.Result.Status);
            Assert.InRange(o.Result.DurationSeconds, 2, 6);
            Assert.Contains("stopped by the run's stop signal", o.Result.StatusReasons[0], StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Agents_of_a_capacity_search_merge_every_step_and_take_the_same_steps_to_the_same_capacity()
    {
        // Steps at 1000/s, 2000/s, then 2000/s again to confirm: each agent offers half of each, and judges the whole.
        const string Yaml = """
            name: search
            store: { kind: noop }
            workload: { mix: [ { op: noop } ] }
            load: { executor: capacity-search, startRate: 1000/s, growth: 2, maxRate: 2000/s, maxSteps: 3, duration: 1s, warmup: 0.2s, drainTimeout: 0.5s }
            sla: [ "p(99) < 1s" ]
            """;
        var scenario = TestScenarios.Load(Yaml);
        var run = Path.Combine(Folder.FullName, "search");
        var startAt = DateTimeOffset.UtcNow.AddSeconds(1.5);
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 2).Select(i => RunAgentAsync(scenario, new AgentSlice(i, 2), startAt, run)));

        var searches = outcomes.Select(o => o.Result.Capacity!).ToList();
        Assert.All(searches, c => Assert.Equal(2000, c.CapacityPerSecond));
        Assert.Equal(searches[0].Steps.Select(s => s.TargetRatePerSecond), searches[1].Steps.Select(s => s.TargetRatePerSecond));
        Assert.Equal([1000.0, 2000.0, 2000.0], searches[0].Steps.Select(s => s.TargetRatePerSecond));
        // Each step's result is the two agents' windows merged: the whole step's operations, not one agent's half.
        for (var step = 1; step <= 3; step++)
        {
            var hlog = $"search.step{step:00}.hlog";
            var half = ResultJson.Read(Path.Combine(outcomes[0].OutputDirectory, AgentLayout.WindowResultOf(hlog)));
            var halves = outcomes.Sum(o => ResultJson.Read(Path.Combine(o.OutputDirectory, AgentLayout.WindowResultOf(hlog))).Total.Count);
            Assert.Equal(halves, Buckets([Path.Combine(outcomes[0].OutputDirectory, AgentLayout.MergedOf(hlog))], null).Sum(b => b.Item2));
            Assert.InRange(half.Total.Count, 0.49 * searches[0].Steps[step - 1].TargetRatePerSecond, 0.51 * searches[0].Steps[step - 1].TargetRatePerSecond);
        }

        Assert.Equal(outcomes[0].Result.Total.Count, outcomes[1].Result.Total.Count);
        Assert.InRange(outcomes[0].Result.Total.Count, 1990, 2010);
        Assert.Equal(2, outcomes[0].Result.Agents!.Count);

        // bench merge writes the concluded search as the run's.
        var file = Path.Combine(Folder.FullName, "search.yaml");
        await File.WriteAllTextAsync(file, Yaml, TestContext.Current.CancellationToken);
        var history = Path.Combine(Folder.FullName, "history.duckdb");
        var (code, output, error) = await CliHarness.RunAsync("merge", run, "--scenario", file, "--history", history);
        Assert.True(code == 0, output + error);
        var merged = ResultJson.Read(Path.Combine(run, "search", AgentLayout.Merged, OutputFileNames.Result));
        // The merged run, not an agent's share, is what the history keeps.
        var kept = Assert.Single(RunHistory.Read(history, "search", 10));
        Assert.Equal(merged.Total.Count, kept.Total.Count);
        Assert.Equal(2000, merged.Capacity!.CapacityPerSecond);
        Assert.Equal(3, merged.Capacity.Steps.Count);
        Assert.True(File.Exists(Path.Combine(run, "search", AgentLayout.Merged, OutputFileNames.Html)));
    }

    /// <summary>Runs one agent's share and writes its reports, as <c>bench run --agent</c> does.</summary>
    private static async Task<RunOutcome> RunAgentAsync(Scenario scenario, AgentSlice slice, DateTimeOffset startAt, string run)
    {
        using var agent = new AgentRun(slice, startAt, new FolderLocation(run), scenario.Name, TimeSpan.Zero);
        var outcome = await new ScenarioRunner(TestScenarios.Catalog).RunAsync(AgentShare.Of(scenario, slice),
            new RunOptions(agent.Folder, [], SilentProgress.Instance) { Agent = agent }, TestContext.Current.CancellationToken);
        ExporterCatalog.Export(ExporterCatalog.Run, outcome, outcome.OutputDirectory);
        return outcome;
    }

    /// <summary>The non-empty buckets of the sum of a tag's intervals over the logs, as HdrHistogram's own reader sees them.</summary>
    private static List<(long, long)> Buckets(IEnumerable<string> logs, string? tag)
    {
        var sum = new LongHistogram(1, Timing.HighestTrackableMicros, 3);
        foreach (var log in logs)
        {
            using var file = File.OpenRead(log);
            using var reader = new HistogramLogReader(file);
            foreach (var h in reader.ReadHistograms().Where(h => h.Tag == tag))
            {
                sum.Add(h);
            }
        }

        return [.. sum.RecordedValues().Select(v => (v.ValueIteratedTo, v.CountAtValueIteratedTo))];
    }
}
