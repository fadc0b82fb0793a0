using System.Globalization;
using System.Text.Json;
using Benchmarks.Core.Agents;
using Benchmarks.Core.Recording;
using Benchmarks.Core.Results;
using Benchmarks.Core.Scenarios;
using Benchmarks.Core.Thresholds;
using HdrHistogram;

namespace Benchmarks.Core.Running;

/// <summary>
/// Watches the agents of a run while they run, from the run folder alone (it is just another reader of it): each
/// second, the agents' intervals of that second added as the merge adds them, shown as progress and judged by the
/// scenario's abort rules; when one fires, it gives the stop signal, which every agent looks for once a second. A
/// second is shown once every agent has logged past it, or a few seconds late without those that have not (a lost agent).
/// </summary>
/// <param name="run">The run's folder in the location (its scenario's name, as agents write it).</param>
public sealed class AgentFollow(Scenario scenario, IRunLocation location, string run, IRunProgress progress)
{
    private readonly string _runFolder = Path.Combine(location.Folder, run);

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    /// <summary>How long after its end a second waits for an agent that has not logged it.</summary>
    private static readonly TimeSpan WaitForLateAgent = TimeSpan.FromSeconds(3);

    /// <summary>How long after the planned end agents that have not finished are waited for (their drain, their reports).</summary>
    private static readonly TimeSpan WaitAfterEnd = TimeSpan.FromSeconds(30);

    /// <summary>Must match the runner's lead before the first intended start: an agent's first measured second starts there.</summary>
    private static readonly TimeSpan StartLead = TimeSpan.FromMilliseconds(20);

    /// <summary>Follows the run until every agent has finished (or the planned end is long past); returns why it stopped the run, or null.</summary>
    public async Task<string?> FollowAsync(CancellationToken cancellationToken)
    {
        AgentManifest? first;
        while ((first = Manifests().FirstOrDefault()) is null)
        {
            await location.PullAsync(run, cancellationToken);
            await Task.Delay(Poll, cancellationToken);
        }

        progress.Phase($"following {first.Count} agents of {scenario.Name} from {first.StartAt:HH:mm:ss} UTC");
        var origin = (first.StartAt + StartLead + scenario.Load.Warmup).ToUnixTimeMilliseconds();
        var plannedEnd = first.StartAt + StartLead + scenario.Load.Warmup + scenario.Load.MeasuredDuration;
        var names = scenario.Workload.Mix.Select(m => m.Name).ToList();
        var tags = names.Select(n => $"{n}.corrected").Append("").ToHashSet();
        var agents = new AgentTail?[first.Count];
        var pending = new SortedDictionary<long, Second>();
        var watch = scenario.AbortOn.Count > 0 ? new AbortWatch(scenario.AbortOn) : null;
        long next = 0;
        string? fired = null;
        try
        {
            while (true)
            {
                await location.PullAsync(run, cancellationToken);
                for (var i = 0; i < agents.Length; i++)
                {
                    var folder = Path.Combine(_runFolder, AgentLayout.AgentFolder(i));
                    var hlog = Path.Combine(folder, $"{scenario.Name}.hlog");
                    agents[i] ??= File.Exists(hlog) ? new AgentTail(folder, hlog) : null;
                    agents[i]?.Read(origin, next, tags, pending);
                }

                var finished = agents.All(a => a?.Finished == true);
                while (true)
                {
                    var everyAgentPast = agents.All(a => a is not null && (a.Finished || a.LastSecond > next));
                    var late = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() > origin + ((next + 1) * 1000) + (long)WaitForLateAgent.TotalMilliseconds;
                    if (!pending.ContainsKey(next) || !(everyAgentPast || late))
                    {
                        break;
                    }

                    if (fired is null && Show(next, pending[next], agents.Count(a => a?.LastSecond >= next), agents.Length, names, watch) is { } why)
                    {
                        fired = why;
                        await File.WriteAllTextAsync(Path.Combine(_runFolder, AgentLayout.StopSignal), why, cancellationToken);
                        await location.PushAsync(Path.Combine(run, AgentLayout.StopSignal), cancellationToken);
                        progress.Phase($"{why}: stop signal given to the agents");
                    }

                    pending.Remove(next);
                    next++;
                }

                if ((finished && pending.Count == 0) || DateTimeOffset.UtcNow > plannedEnd + scenario.Load.DrainTimeout + WaitAfterEnd)
                {
                    return fired;
                }

                await Task.Delay(Poll, cancellationToken);
            }
        }
        finally
        {
            foreach (var agent in agents)
            {
                agent?.Dispose();
            }
        }
    }

    private IEnumerable<AgentManifest> Manifests() => !Directory.Exists(_runFolder)
        ? []
        : Directory.GetDirectories(_runFolder).Where(d => AgentLayout.IndexOf(Path.GetFileName(d)) is not null)
            .Select(d => AgentManifest.Read(Path.Combine(d, AgentLayout.Manifest))).OfType<AgentManifest>();

    /// <summary>Shows one merged second and judges the abort rules on it; returns why the run is to stop, when a rule fired.</summary>
    private string? Show(long second, Second data, int reporting, int agents, List<string> names, AbortWatch? watch)
    {
        var total = data.Histogram("");
        var errors = data.Errors.GetValueOrDefault("total");
        var length = Math.Max(1e-3, data.LengthSeconds);
        progress.Interval(new ProgressSample(second + length, scenario.Load.MeasuredDuration.TotalSeconds, length, total.TotalCount / length,
            scenario.Load.Executor.TargetRatePerSecond, total.TotalCount > 0 ? total.GetValueAtPercentile(99) / 1000.0 : 0,
            total.TotalCount > 0 ? total.GetMaxValue() / 1000.0 : 0, errors, total.TotalCount));
        if (reporting < agents)
        {
            progress.Phase(string.Create(CultureInfo.InvariantCulture, $"second {second + 1}: {reporting} of {agents} agents logged it"));
        }

        if (watch is null || !watch.Observe(second + length, name => name == "total"
                ? (total, errors)
                : names.Contains(name) ? (data.Histogram($"{name}.corrected"), data.Errors.GetValueOrDefault(name)) : null))
        {
            return null;
        }

        return $"{watch.Fired} (judged on all agents together)";
    }

    /// <summary>One merged second while it is being gathered: the agents' histograms by tag, their errors by operation, its length.</summary>
    private sealed class Second
    {
        private readonly Dictionary<string, HistogramBase> _histograms = [];

        public Dictionary<string, long> Errors { get; } = [];

        public double LengthSeconds { get; set; }

        public HistogramBase Histogram(string tag)
        {
            if (!_histograms.TryGetValue(tag, out var histogram))
            {
                _histograms[tag] = histogram = Histograms.Create();
            }

            return histogram;
        }
    }

    /// <summary>One agent's .hlog and errors, read as they grow.</summary>
    private sealed class AgentTail(string folder, string hlog) : IDisposable
    {
        private readonly HlogLines _lines = new(hlog);
        private long _errorsRead;

        public long LastSecond { get; private set; } = -1;

        /// <summary>Its result is written: it logs nothing more.</summary>
        public bool Finished { get; private set; }

        /// <summary>Reads what was written since the last call into the seconds not shown yet (from <paramref name="unshown"/>: a second shown without this agent stays as shown).</summary>
        public void Read(long origin, long unshown, HashSet<string> tags, SortedDictionary<long, Second> pending)
        {
            // Looked at first: once the result is there, everything it logged is already in the files read below.
            Finished = File.Exists(Path.Combine(folder, OutputFileNames.Result));
            while (_lines.Next())
            {
                var second = (long)Math.Round((_lines.StartMs - origin) / 1000.0);
                if (_lines.Tag is null)
                {
                    LastSecond = Math.Max(LastSecond, second);
                }

                if (second < unshown || !tags.Contains(_lines.Tag ?? ""))
                {
                    continue;
                }

                var data = SecondOf(pending, second);
                _lines.AddTo(data.Histogram(_lines.Tag ?? ""));
                if (_lines.Tag is null)
                {
                    data.LengthSeconds = Math.Max(data.LengthSeconds, (_lines.EndMs - _lines.StartMs) / 1000.0);
                }
            }

            ReadErrors(unshown, pending);
        }

        private void ReadErrors(long unshown, SortedDictionary<long, Second> pending)
        {
            var path = Path.Combine(folder, AgentLayout.ErrorsBySecond);
            if (!File.Exists(path))
            {
                return;
            }

            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            file.Position = _errorsRead;
            using var reader = new StreamReader(file);
            var text = reader.ReadToEnd();
            var complete = text.LastIndexOf('\n') + 1;
            _errorsRead += System.Text.Encoding.UTF8.GetByteCount(text.AsSpan(0, complete));
            foreach (var line in text[..complete].Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var errors = JsonSerializer.Deserialize<SecondErrors>(line);
                var second = errors is null ? -1 : (long)Math.Ceiling(errors.End - 1e-6) - 1;
                if (second < unshown)
                {
                    continue;
                }

                var data = SecondOf(pending, second);
                foreach (var (name, count) in errors!.Errors)
                {
                    data.Errors[name] = data.Errors.GetValueOrDefault(name) + count;
                }
            }
        }

        private static Second SecondOf(SortedDictionary<long, Second> pending, long second)
        {
            if (!pending.TryGetValue(second, out var data))
            {
                pending[second] = data = new Second();
            }

            return data;
        }

        public void Dispose() => _lines.Dispose();
    }
}
