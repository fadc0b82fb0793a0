using System.Globalization;

namespace Benchmarks.Core.Agents;

/// <summary>
/// Where the agents of one run write, defined once: a run folder holds a folder per agent (its own reports,
/// its .hlog written as it goes, its manifest), the preload marker agent 0 leaves, and the stop signal.
/// </summary>
public static class AgentLayout
{
    public const string Manifest = "agent.json";

    /// <summary>Left in the run folder by the agent that preloaded, when it is done: the others wait for it.</summary>
    public const string PreloadedMarker = "preloaded";

    /// <summary>Written into the run folder by whoever stops the run (its text: why); agents look for it every second.</summary>
    public const string StopSignal = "stop";

    /// <summary>An agent's generator-free latency totals of the window logged in <paramref name="hlogName"/>: the merge needs them to judge verdicts as a single run does.</summary>
    public static string GeneratorFreeOf(string hlogName) => $"{Path.GetFileNameWithoutExtension(hlogName)}.generator-free.hlog";

    /// <summary>An agent's result of one window of a plan of several (a capacity search's step), which every agent merges before the next.</summary>
    public static string WindowResultOf(string hlogName) => $"{Path.GetFileNameWithoutExtension(hlogName)}.result.json";

    /// <summary>The window merged from every agent's, in each agent's folder: its .hlog (what the window's merged result names).</summary>
    public static string MergedOf(string hlogName) => $"merged-{hlogName}";

    /// <summary>An agent's errors of each second by operation (JSON lines, appended as it goes): what its .hlog does not hold, for whoever watches the run live.</summary>
    public const string ErrorsBySecond = "errors.jsonl";

    /// <summary>The merged reports, when <c>bench merge</c> is not told where.</summary>
    public const string Merged = "merged";

    private const string AgentPrefix = "agent-";

    public static string AgentFolder(int index) => AgentPrefix + index.ToString(CultureInfo.InvariantCulture);

    /// <summary>The index of an agent's folder name; null for any other folder.</summary>
    public static int? IndexOf(string folderName) =>
        folderName.StartsWith(AgentPrefix, StringComparison.Ordinal)
        && int.TryParse(folderName.AsSpan(AgentPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            ? index
            : null;
}
