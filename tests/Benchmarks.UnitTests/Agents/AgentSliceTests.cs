using Benchmarks.Core.Agents;
using Benchmarks.Core.Execution;
using Benchmarks.UnitTests.Cli;

namespace Benchmarks.UnitTests.Agents;

/// <summary>An agent's share: the slices of a schedule deal out exactly the whole schedule; counts split to their total; what cannot be shared is refused.</summary>
public sealed class AgentSliceTests
{
    public static TheoryData<int> AgentCounts => [1, 2, 3, 5, 7];

    [Theory]
    [MemberData(nameof(AgentCounts))]
    public void The_slices_of_a_schedule_are_exactly_the_whole_schedule_with_its_sequence_numbers(int agents)
    {
        IArrivalSchedule[] schedules =
        [
            new ConstantSchedule(6000, 1, 2),
            new RampingSchedule(100, [(5000, 1.5), (0, 0.5)], 0.5),
        ];
        foreach (var whole in schedules)
        {
            var expected = Walk(whole).ToList();
            var dealt = Enumerable.Range(0, agents).SelectMany(i => Walk(new AgentSlice(i, agents).Of(whole))).OrderBy(a => a.Sequence).ToList();
            Assert.Equal(expected, dealt);
            Assert.True(expected.Count > 5000, $"{expected.Count} arrivals");
        }
    }

    private static IEnumerable<(long Sequence, double Offset)> Walk(IArrivalSchedule schedule)
    {
        for (long n = 0; schedule.TryGetOffset(n, out var offset); n++)
        {
            yield return (schedule.SequenceOf(n), offset);
        }
    }

    [Theory]
    [InlineData(10, 3)]
    [InlineData(2, 2)]
    [InlineData(1024, 7)]
    [InlineData(5, 1)]
    public void Shares_of_a_count_add_up_to_it_and_differ_by_at_most_one(long total, int agents)
    {
        var shares = Enumerable.Range(0, agents).Select(i => new AgentSlice(i, agents).Share(total)).ToList();
        Assert.Equal(total, shares.Sum());
        Assert.InRange(shares.Max() - shares.Min(), 0, 1);
    }

    [Theory]
    [InlineData("0/3", 0, 3)]
    [InlineData("2/3", 2, 3)]
    public void An_agent_is_written_i_of_n_from_zero(string text, int index, int count) =>
        Assert.Equal(new AgentSlice(index, count), AgentSlice.Parse(text, out _));

    [Theory]
    [InlineData("3/3", "the index counts from 0")]
    [InlineData("1", "is not i/N")]
    [InlineData("a/b", "is not i/N")]
    [InlineData("0/0", "below the number of agents")]
    public void A_wrong_agent_says_what_is_wrong(string text, string problem)
    {
        Assert.Null(AgentSlice.Parse(text, out var why));
        Assert.Contains(problem, why, StringComparison.Ordinal);
    }

    [Fact]
    public void An_agent_of_a_closed_model_takes_its_share_of_the_workers_and_of_an_operation_limit()
    {
        var scenario = TestScenarios.Noop("{ executor: constant-concurrency, concurrency: 10, operations: 1000 }");
        var shares = Enumerable.Range(0, 3).Select(i => AgentShare.Of(scenario, new AgentSlice(i, 3))).ToList();
        Assert.Equal([4, 3, 3], shares.Select(s => s.Load.Executor.Concurrency!.Value));
        Assert.Equal(1000, shares.Sum(s => s.Load.OperationLimit!.Value));
        Assert.Null(AgentShare.WhyNot(scenario, new AgentSlice(0, 10)));
        Assert.Contains("10 workers cannot be shared by 11 agents", AgentShare.WhyNot(scenario, new AgentSlice(0, 11)), StringComparison.Ordinal);
    }

    [Fact]
    public void An_agent_of_an_open_model_offers_its_share_of_the_rate_and_of_the_in_flight_bound()
    {
        var scenario = TestScenarios.Noop("{ executor: constant-arrival-rate, rate: 6000/s, duration: 10s, maxInFlight: 100 }");
        var agent = AgentShare.Of(scenario, new AgentSlice(1, 3));
        Assert.Equal(2000, agent.Load.Executor.TargetRatePerSecond);
        Assert.Equal(33, agent.Load.Executor.MaxInFlight);
        Assert.Contains("agent 1/3", agent.Load.Executor.Describe(), StringComparison.Ordinal);
        Assert.Equal(6000, scenario.Load.Executor.TargetRatePerSecond);
    }

    [Fact]
    public async Task A_load_that_cannot_be_shared_or_a_bad_agent_is_refused_before_anything_runs_with_exit_code_2()
    {
        var file = Path.Combine(Path.GetTempPath(), $"agent-refusal-{Environment.ProcessId}.yaml");
        File.WriteAllText(file, "name: refused\nstore: { kind: noop }\nworkload: { mix: [ { op: noop } ] }\nload: { executor: constant-concurrency, concurrency: 1, duration: 1s }\n");
        try
        {
            var (code, _, error) = await CliHarness.RunAsync("run", file, "--agent", "0/2", "--start-at", "2026-01-01T00:00:00Z", "--out", Path.GetTempPath());
            Assert.Equal(2, code);
            Assert.Contains(".yaml: 1 workers cannot be shared by 2 agents", error, StringComparison.Ordinal);
            (code, _, error) = await CliHarness.RunAsync("run", file, "--agent", "2/2", "--out", Path.GetTempPath());
            Assert.Equal(2, code);
            Assert.Contains("--agent '2/2': the index counts from 0", error, StringComparison.Ordinal);
            Assert.Contains("--agent needs --start-at", error, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
