using Benchmarks.Core.Faults;
using Benchmarks.Core.Thresholds;

namespace Benchmarks.UnitTests.Scenarios;

/// <summary>What the loader accepts and refuses in <c>faults:</c> and in thresholds on phases and recovery.</summary>
public sealed class FaultLoaderTests
{
    private const string Valid = """
        name: drill
        store: { kind: redis, connection: local }
        workload: { mix: [ { op: get } ] }
        load: { executor: constant-arrival-rate, rate: 100/s, duration: 30s }
        faults:
          - { at: 10s, action: pause, duration: 2s }
          - { at: 20s, action: drop-connections }
          - { at: 25s, action: command, command: "echo failover", endCommand: "echo back", duration: 1s }
        sla: [ "recovery < 5s", "during.errors < 5%", "after.get.p(99) < 5ms", "before.throughput >= 99/s" ]
        """;

    [Fact]
    public void Faults_and_thresholds_on_their_phases_load()
    {
        var scenario = TestScenarios.Load(Valid);
        Assert.Equal([FaultAction.Pause, FaultAction.DropConnections, FaultAction.Command], scenario.Faults.Select(f => f.Action));
        Assert.Equal(TimeSpan.FromSeconds(10), scenario.Faults[0].At);
        Assert.Equal(TimeSpan.FromSeconds(2), scenario.Faults[0].Duration);
        Assert.Equal("echo back", scenario.Faults[2].EndCommand);
        Assert.Equal(SlaMetric.Recovery, scenario.Sla[0].Metric);
        Assert.Equal(5, scenario.Sla[0].Target);
        Assert.Equal(("during", SlaMetric.Errors, (string?)null), (scenario.Sla[1].Phase, scenario.Sla[1].Metric, scenario.Sla[1].Operation));
        Assert.Equal(("after", SlaMetric.Percentile, "get"), (scenario.Sla[2].Phase, scenario.Sla[2].Metric, scenario.Sla[2].Operation));
        Assert.Equal("before", scenario.Sla[3].Phase);
    }

    [Theory]
    [InlineData("action: pause, duration: 2s", "action: freeze, duration: 2s", 6, "freeze")]
    [InlineData("action: pause, duration: 2s", "action: pause", 6, "duration")]
    [InlineData("at: 10s, action: pause, duration: 2s", "at: 29s, action: pause, duration: 2s", 6, "the fault ends after the measured window")]
    [InlineData("action: drop-connections }", "action: drop-connections, command: \"x\" }", 7, "runs no command")]
    [InlineData("endCommand: \"echo back\", duration: 1s", "endCommand: \"echo back\"", 8, "there is none")]
    [InlineData("action: pause, duration: 2s", "action: pause, duration: 2s, target: cache", 6, "this scenario has one store")]
    [InlineData("\"recovery < 5s\"", "\"recovery < soon\"", 9, "'soon' in 'recovery < soon' is not a duration")]
    [InlineData("\"during.errors < 5%\"", "\"during.dropped == 0\"", 9, "a phase takes latency, throughput, errors")]
    public void A_mistake_in_a_fault_is_refused_at_its_line(string from, string to, int line, string message)
    {
        var errors = TestScenarios.Errors(Valid.Replace(from, to, StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Location.Line == line && e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Thresholds_on_faults_need_faults_and_a_flow_names_the_store_a_fault_acts_on()
    {
        var noFaults = TestScenarios.Errors(TestScenarios.ValidRedis.Replace("\"errors < 0.1%\"", "\"recovery < 5s\"", StringComparison.Ordinal));
        Assert.Contains(noFaults, e => e.Message.Contains("judges a fault, and the scenario has none", StringComparison.Ordinal));
        var flow = TestScenarios.Errors("""
            name: f
            stores: { cache: { kind: redis, connection: local } }
            flows: [ { name: s, steps: [ { name: c, store: cache, op: get } ] } ]
            load: { executor: constant-arrival-rate, rate: 100/s, duration: 30s }
            faults: [ { at: 10s, action: pause, duration: 2s } ]
            """);
        Assert.Contains(flow, e => e.Location.Line == 5 && e.Message.Contains("say which one the fault acts on", StringComparison.Ordinal));
    }
}
