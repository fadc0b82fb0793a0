using Benchmarks.Core.Results;
using Benchmarks.UnitTests.Cli;
using Benchmarks.UnitTests.Execution;

namespace Benchmarks.UnitTests.Running;

/// <summary>The one fault that needs no local server: a command run at its time, its window and output recorded.</summary>
[Collection(nameof(TimingSensitive))]
public sealed class CommandFaultTests() : TempFolderTests("bench-command-fault-")
{
    private async Task<RunResult> RunAsync(string faults)
    {
        var scenario = TestScenarios.Load($$"""
            name: command-fault
            store: { kind: noop }
            workload: { mix: [ { op: yield } ] }
            load: { executor: constant-arrival-rate, rate: 500/s, duration: 4s }
            faults: {{faults}}
            """);
        return (await new Benchmarks.Core.Running.ScenarioRunner(TestScenarios.Catalog).RunAsync(scenario,
            new Benchmarks.Core.Running.RunOptions(Folder.FullName, [], Benchmarks.Core.Recording.SilentProgress.Instance), TestContext.Current.CancellationToken)).Result;
    }

    [Fact]
    public async Task A_command_runs_at_its_time_and_its_end_command_after_the_duration_and_both_are_recorded()
    {
        var marker = Path.Combine(Folder.FullName, "marker");
        var r = await RunAsync($$"""[ { at: 1s, action: command, command: "echo started > {{marker}}; echo failing over", endCommand: "echo back", duration: 1s } ]""");

        var fault = Assert.Single(r.Faults!);
        Assert.Null(fault.Error);
        Assert.InRange(fault.StartSeconds!.Value, 0.95, 1.3);
        Assert.InRange(fault.EndSeconds!.Value, 1.95, 2.5);
        Assert.Equal("failing over\nback", fault.Output);
        Assert.Equal("started", File.ReadAllText(marker).Trim());
        Assert.Equal([Phases.Before, Phases.During, Phases.After], r.Phases!.Select(p => p.Phase));
        Assert.Equal(r.Total.Count, r.Phases!.Sum(p => p.Total.Count));
        // With one fault, its own phases are the run's during and after.
        Assert.Equal([Phases.During, Phases.After], fault.Phases.Select(p => p.Phase));
        Assert.Equal(r.Phases![1].Total.Count, fault.Phases[0].Total.Count);
        Assert.Equal(r.Phases![2].Seconds, fault.Phases[1].Seconds);
        Assert.Equal(RunStatus.Passed, r.Status);
    }

    [Fact]
    public async Task A_command_that_fails_makes_the_run_invalid_with_its_output()
    {
        var r = await RunAsync("""[ { at: 1s, action: command, command: "echo no such cluster >&2; exit 7" } ]""");

        var fault = Assert.Single(r.Faults!);
        Assert.Contains("exited with code 7", fault.Error, StringComparison.Ordinal);
        Assert.Contains("no such cluster", fault.Error, StringComparison.Ordinal);
        Assert.Equal(RunStatus.Invalid, r.Status);
        Assert.Contains(r.StatusReasons, s => s.Contains("a scripted fault was not done as written", StringComparison.Ordinal));
    }
}
