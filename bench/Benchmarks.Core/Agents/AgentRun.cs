using System.Globalization;
using Benchmarks.Core.Execution;
using Benchmarks.Core.Recording;

namespace Benchmarks.Core.Agents;

/// <summary>
/// One agent of a scaled-out run, seen from inside its process: its slice, the instant all agents start at, the
/// run folder they share (the only thing they share: no agent talks to another), and its clock. Agent 0
/// preloads and leaves a marker; the others wait for it. Each agent measures how far its clock is from the
/// run folder's before it starts, and looks for the stop signal every second while it runs.
/// </summary>
public sealed class AgentRun
{
    /// <summary>An agent ready later than this after the start instant is not started: its seconds would not line up with the others'.</summary>
    public static readonly TimeSpan MaxStartLag = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(100);

    private readonly TimeSpan _clockSkew;

    /// <param name="runFolder">The folder every agent of the run writes under (shared storage when the agents are on several machines).</param>
    /// <param name="clockSkew">Added to this machine's clock: zero, except to rehearse agents whose clocks disagree (BENCH_AGENT_CLOCK_SKEW_MS).</param>
    public AgentRun(AgentSlice slice, DateTimeOffset startAt, string runFolder, TimeSpan clockSkew)
    {
        Slice = slice;
        StartAt = startAt;
        RunFolder = runFolder;
        _clockSkew = clockSkew;
    }

    public AgentSlice Slice { get; }

    public DateTimeOffset StartAt { get; }

    public string RunFolder { get; }

    /// <summary>This agent's own folder: its reports, .hlog and manifest.</summary>
    public string Folder => Path.Combine(RunFolder, AgentLayout.AgentFolder(Slice.Index));

    /// <summary>The time by this agent's clock: the start instant and its .hlog's timestamps are read on it.</summary>
    public DateTimeOffset UtcNow => DateTimeOffset.UtcNow + _clockSkew;

    /// <summary>Agent 0 preloads the store once for all.</summary>
    public bool Preloads => Slice.Index == 0;

    public void MarkPreloaded() => File.WriteAllText(Path.Combine(RunFolder, AgentLayout.PreloadedMarker), UtcNow.ToString("O", CultureInfo.InvariantCulture));

    public async Task WaitForPreloadAsync(IRunProgress progress, CancellationToken cancellationToken)
    {
        var marker = Path.Combine(RunFolder, AgentLayout.PreloadedMarker);
        if (!File.Exists(marker))
        {
            progress.Phase("waiting for agent 0 to preload the store");
        }

        while (!File.Exists(marker))
        {
            await Task.Delay(PollEvery, cancellationToken);
        }
    }

    /// <summary>Waits for the start instant by this agent's clock; returns how late it was ready (zero when early).</summary>
    /// <exception cref="AgentLateException">Ready more than <see cref="MaxStartLag"/> after the start instant.</exception>
    public async Task<TimeSpan> WaitForStartAsync(IRunProgress progress, CancellationToken cancellationToken)
    {
        var wait = StartAt - UtcNow;
        if (wait < -MaxStartLag)
        {
            throw new AgentLateException($"agent {Slice} was ready {Units(-wait)} after --start-at {StartAt:O}: its seconds would not line up with the other agents'; " +
                "give a start instant later by the time the agents take to start, connect and (agent 0) preload");
        }

        if (wait <= TimeSpan.Zero)
        {
            return -wait;
        }

        progress.Phase(string.Create(CultureInfo.InvariantCulture, $"agent {Slice}: starting with the others at {StartAt:HH:mm:ss.fff} UTC (in {wait.TotalSeconds:0.0} s)"));
        // Task.Delay wakes within a timer tick; the last stretch is waited out exactly.
        if (wait > TimeSpan.FromMilliseconds(30))
        {
            await Task.Delay(wait - TimeSpan.FromMilliseconds(20), cancellationToken);
        }

        while (UtcNow < StartAt)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Thread.SpinWait(100);
        }

        return TimeSpan.Zero;
    }

    /// <summary>Appends one measured second's errors by operation (and "total") to this agent's <see cref="AgentLayout.ErrorsBySecond"/>.</summary>
    public void LogErrors(double endSeconds, IEnumerable<string> operations, Func<string, long> errorsOf)
    {
        var errors = operations.Append("total").ToDictionary(name => name, errorsOf);
        File.AppendAllText(Path.Combine(Folder, AgentLayout.ErrorsBySecond),
            System.Text.Json.JsonSerializer.Serialize(new SecondErrors(endSeconds, errors)) + "\n");
    }

    /// <summary>Why the run is to stop, when whoever watches it wrote the stop signal; null otherwise.</summary>
    public string? StopRequested()
    {
        var signal = Path.Combine(RunFolder, AgentLayout.StopSignal);
        if (!File.Exists(signal))
        {
            return null;
        }

        try
        {
            var why = File.ReadAllText(signal).Trim();
            return why.Length > 0 ? why : "the run's stop signal was given";
        }
        catch (IOException)
        {
            return "the run's stop signal was given";
        }
    }

    /// <summary>
    /// This agent's clock less the run folder's (the file system's time of a file it writes, which is the file server's
    /// clock on shared storage), from the probe with the shortest round trip; and how finely that is known.
    /// </summary>
    public (double OffsetMs, string Reference) MeasureClockOffset()
    {
        Directory.CreateDirectory(Folder);
        var probe = Path.Combine(Folder, ".clock-probe");
        var best = (Offset: 0.0, RoundTrip: double.MaxValue);
        for (var i = 0; i < 5; i++)
        {
            var before = UtcNow;
            File.WriteAllText(probe, "");
            var stamped = File.GetLastWriteTimeUtc(probe);
            var after = UtcNow;
            var roundTrip = (after - before).TotalMilliseconds;
            if (roundTrip < best.RoundTrip)
            {
                var middle = before + ((after - before) / 2);
                best = ((middle.UtcDateTime - stamped).TotalMilliseconds, roundTrip);
            }
        }

        File.Delete(probe);
        // File times come from the kernel's coarse clock, one scheduler tick (1–10 ms) behind the precise one.
        // + 0.0 turns a rounded -0 into 0.
        return (Math.Round(best.Offset, 1) + 0.0, string.Create(CultureInfo.InvariantCulture,
            $"the run folder's file times (to within {best.RoundTrip:0.###} ms plus the file system's clock tick, up to 10 ms)"));
    }

    private static string Units(TimeSpan t) => string.Create(CultureInfo.InvariantCulture, $"{t.TotalMilliseconds:0} ms");
}

/// <summary>One line of an agent's <see cref="AgentLayout.ErrorsBySecond"/>: the errors of the second that ended <paramref name="End"/> seconds into its measured window.</summary>
public sealed record SecondErrors(double End, IReadOnlyDictionary<string, long> Errors);

/// <summary>An agent that could not start with the others (exit code 3: the run it is part of is not what was asked).</summary>
public sealed class AgentLateException(string message) : Exception(message);
