using Benchmarks.Core.Agents;
using Benchmarks.Core.Execution;
using Benchmarks.Core.Recording;
using Benchmarks.Core.Results;
using Benchmarks.Core.Scenarios;

namespace Benchmarks.Core.Running;

/// <summary>
/// The windows of a plan of several (a capacity search's steps) run by agents in lockstep. Window k starts at the same
/// instant on every agent: the start instant plus k windows, each with its warm-up, its measurement and a gap for the
/// drain and the exchange. After a window each agent shares its result, waits for every other agent's, and merges them
/// all; the plan then decides its next window on the merged window, and since every agent merges the same data, every
/// agent takes the same next step without anyone telling it.
/// </summary>
internal sealed class AgentWindows(AgentRun agent, Scenario window, IRunProgress progress)
{
    /// <summary>After a window's drain: time for every agent's result to reach the location and be merged.</summary>
    private static readonly TimeSpan Exchange = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    private TimeSpan Length => window.Load.Warmup + window.Load.MeasuredDuration + window.Load.DrainTimeout + Exchange;

    private DateTimeOffset StartOf(int index) => agent.StartAt + (index * Length);

    public async Task WaitForWindowAsync(int index, CancellationToken cancellationToken) =>
        await agent.WaitUntilAsync(StartOf(index), $"the start of window {index + 1}", progress, cancellationToken);

    /// <summary>Shares this agent's window, and returns every agent's merged; an agent not there a second before the next window is named missing.</summary>
    public async Task<RunOutcome> MergeAsync(int index, RunOutcome own, string hlogName, CancellationToken cancellationToken)
    {
        var result = Path.Combine(agent.Folder, AgentLayout.WindowResultOf(hlogName));
        await File.WriteAllTextAsync(result + ".tmp", ResultJson.Serialize(own.Result), cancellationToken);
        File.Move(result + ".tmp", result, overwrite: true);
        await agent.ShareAsync(cancellationToken);

        var deadline = StartOf(index + 1) - AgentRun.MaxStartLag;
        var count = agent.Slice.Count;
        progress.Phase($"window {index + 1}: waiting for the other agents' results to merge them");
        List<AgentInput> found;
        while (true)
        {
            await agent.FetchRunAsync(cancellationToken);
            found = Found(count, hlogName);
            if (found.Count(a => a.Result is not null) == count || agent.UtcNow > deadline)
            {
                break;
            }

            await Task.Delay(Poll, cancellationToken);
        }

        // Judged as the whole window: its whole rate, bounds and SLAs.
        var whole = window with { Load = window.Load with { Executor = window.Load.Executor with { Agent = AgentSlice.Whole } } };
        return AgentMerge.Merge(whole, count, found, agent.Folder, hlogName, AgentLayout.MergedOf(hlogName));
    }

    private List<AgentInput> Found(int count, string hlogName) =>
        [.. Enumerable.Range(0, count).Select(i =>
        {
            var folder = Path.Combine(agent.RunFolder, AgentLayout.AgentFolder(i));
            return new AgentInput(i, folder, AgentManifest.Read(Path.Combine(folder, AgentLayout.Manifest)), ResultJson.TryRead(Path.Combine(folder, AgentLayout.WindowResultOf(hlogName))));
        }).Where(a => Directory.Exists(a.Folder))];
}
