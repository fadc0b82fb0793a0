using System.Globalization;
using Benchmarks.Core.Execution;
using Benchmarks.Core.Recording;

namespace Benchmarks.Core.Agents;

/// <summary>
/// One agent of a scaled-out run, seen from inside its process: its slice, the instant all agents start at, the
/// run location they share (the only thing they share: no agent talks to another), and its clock. Agent 0
/// preloads and leaves a marker; the others wait for it. Each agent measures how far its clock is from the
/// location's before it starts; while it runs, it sends what it writes to the location and looks for the stop
/// signal once a second.
/// </summary>
public sealed class AgentRun : IDisposable
{
    /// <summary>An agent ready later than this after the start instant is not started: its seconds would not line up with the others'.</summary>
    public static readonly TimeSpan MaxStartLag = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(100);

    private static readonly TimeSpan SyncEvery = TimeSpan.FromSeconds(1);

    private readonly TimeSpan _clockSkew;
    private readonly IRunLocation _location;
    private readonly string _scenario;
    private readonly CancellationTokenSource _stopSync = new();
    private Task? _sync;

    /// <param name="location">Where every agent of the run writes (shared storage, or a Blob container, when the agents are on several machines).</param>
    /// <param name="scenario">The scenario's name: the run's folder in the location.</param>
    /// <param name="clockSkew">Added to this machine's clock: zero, except to rehearse agents whose clocks disagree (BENCH_AGENT_CLOCK_SKEW_MS).</param>
    public AgentRun(AgentSlice slice, DateTimeOffset startAt, IRunLocation location, string scenario, TimeSpan clockSkew)
    {
        Slice = slice;
        StartAt = startAt;
        _location = location;
        _scenario = scenario;
        _clockSkew = clockSkew;
    }

    public AgentSlice Slice { get; }

    public DateTimeOffset StartAt { get; }

    /// <summary>The run's folder: every agent's folder, the markers.</summary>
    public string RunFolder => Path.Combine(_location.Folder, _scenario);

    /// <summary>This agent's own folder: its reports, .hlog and manifest.</summary>
    public string Folder => Path.Combine(RunFolder, AgentLayout.AgentFolder(Slice.Index));

    private string FolderInLocation => Path.Combine(_scenario, AgentLayout.AgentFolder(Slice.Index));

    /// <summary>The time by this agent's clock: the start instant and its .hlog's timestamps are read on it.</summary>
    public DateTimeOffset UtcNow => DateTimeOffset.UtcNow + _clockSkew;

    /// <summary>Agent 0 preloads the store once for all.</summary>
    public bool Preloads => Slice.Index == 0;

    /// <summary>Starts sending this agent's folder to the location and fetching the stop signal, once a second until <see cref="FinishAsync"/>.</summary>
    public void StartSync()
    {
        _sync ??= Task.Run(async () =>
        {
            while (!_stopSync.IsCancellationRequested)
            {
                try
                {
                    await _location.PushAsync(FolderInLocation, _stopSync.Token);
                    await _location.PullAsync(Path.Combine(_scenario, AgentLayout.StopSignal), _stopSync.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
#pragma warning disable CA1031 // a failed sync (the network, the storage service) is tried again next second; the final push reports it
                catch (Exception)
#pragma warning restore CA1031
                {
                }

                try
                {
                    await Task.Delay(SyncEvery, _stopSync.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        });
    }

    /// <summary>Stops the sync and sends everything this agent wrote, its reports included (this push's failure is thrown).</summary>
    public async Task FinishAsync(CancellationToken cancellationToken)
    {
        await _stopSync.CancelAsync();
        if (_sync is not null)
        {
            await _sync;
        }

        await _location.PushAsync(FolderInLocation, cancellationToken);
    }

    public async Task MarkPreloadedAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(RunFolder);
        await File.WriteAllTextAsync(Path.Combine(RunFolder, AgentLayout.PreloadedMarker), UtcNow.ToString("O", CultureInfo.InvariantCulture), cancellationToken);
        await _location.PushAsync(Path.Combine(_scenario, AgentLayout.PreloadedMarker), cancellationToken);
    }

    public async Task WaitForPreloadAsync(IRunProgress progress, CancellationToken cancellationToken)
    {
        var marker = Path.Combine(RunFolder, AgentLayout.PreloadedMarker);
        var said = false;
        while (true)
        {
            await _location.PullAsync(Path.Combine(_scenario, AgentLayout.PreloadedMarker), cancellationToken);
            if (File.Exists(marker))
            {
                return;
            }

            if (!said)
            {
                progress.Phase("waiting for agent 0 to preload the store");
                said = true;
            }

            await Task.Delay(PollEvery, cancellationToken);
        }
    }

    /// <summary>Waits for the start instant by this agent's clock; returns how late it was ready (zero when early).</summary>
    /// <exception cref="AgentLateException">Ready more than <see cref="MaxStartLag"/> after the start instant.</exception>
    public Task<TimeSpan> WaitForStartAsync(IRunProgress progress, CancellationToken cancellationToken) =>
        WaitUntilAsync(StartAt, "--start-at", progress, cancellationToken);

    /// <summary>Waits for <paramref name="instant"/> by this agent's clock (every agent waits for the same); returns how late it was ready.</summary>
    /// <exception cref="AgentLateException">Ready more than <see cref="MaxStartLag"/> after it.</exception>
    public async Task<TimeSpan> WaitUntilAsync(DateTimeOffset instant, string what, IRunProgress progress, CancellationToken cancellationToken)
    {
        var wait = instant - UtcNow;
        if (wait < -MaxStartLag)
        {
            throw new AgentLateException($"agent {Slice} was ready {Milliseconds(-wait)} after {what} {instant:O}: its seconds would not line up with the other agents'; " +
                "give a start instant later by the time the agents take to start, connect and (agent 0) preload");
        }

        if (wait <= TimeSpan.Zero)
        {
            return -wait;
        }

        progress.Phase(string.Create(CultureInfo.InvariantCulture, $"agent {Slice}: starting with the others at {instant:HH:mm:ss.fff} UTC (in {wait.TotalSeconds:0.0} s)"));
        // Task.Delay wakes within a timer tick; the last stretch is waited out exactly.
        if (wait > TimeSpan.FromMilliseconds(30))
        {
            await Task.Delay(wait - TimeSpan.FromMilliseconds(20), cancellationToken);
        }

        while (UtcNow < instant)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Thread.SpinWait(100);
        }

        return TimeSpan.Zero;
    }

    /// <summary>Sends what this agent wrote so far to the location now, rather than at the next second's sync.</summary>
    public Task ShareAsync(CancellationToken cancellationToken) => _location.PushAsync(FolderInLocation, cancellationToken);

    /// <summary>Brings what every agent of the run wrote so far into <see cref="RunFolder"/>.</summary>
    public Task FetchRunAsync(CancellationToken cancellationToken) => _location.PullAsync(_scenario, cancellationToken);

    /// <summary>Why the run is to stop, when whoever watches it gave the stop signal; null otherwise. Reads the local file only: the sync fetches it.</summary>
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

    /// <summary>Appends one measured second's errors by operation (and "total") to this agent's <see cref="AgentLayout.ErrorsBySecond"/>.</summary>
    public void LogErrors(double endSeconds, IEnumerable<string> operations, Func<string, long> errorsOf)
    {
        var errors = operations.Append("total").ToDictionary(name => name, errorsOf);
        File.AppendAllText(Path.Combine(Folder, AgentLayout.ErrorsBySecond),
            System.Text.Json.JsonSerializer.Serialize(new SecondErrors(endSeconds, errors)) + "\n");
    }

    /// <summary>This agent's clock less the location's, and how finely that is known.</summary>
    public Task<(double OffsetMs, string Reference)> MeasureClockOffsetAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Folder);
        return _location.MeasureClockOffsetAsync(() => UtcNow, cancellationToken);
    }

    public void Dispose() => _stopSync.Dispose();

    private static string Milliseconds(TimeSpan t) => string.Create(CultureInfo.InvariantCulture, $"{t.TotalMilliseconds:0} ms");
}

/// <summary>One line of an agent's <see cref="AgentLayout.ErrorsBySecond"/>: the errors of the second that ended <paramref name="End"/> seconds into its measured window.</summary>
public sealed record SecondErrors(double End, IReadOnlyDictionary<string, long> Errors);

/// <summary>An agent that could not start with the others (exit code 3: the run it is part of is not what was asked).</summary>
public sealed class AgentLateException(string message) : Exception(message);
