using Benchmarks.Core.Faults;
using Benchmarks.Core.Flows;
using Benchmarks.Core.Parsing;
using Benchmarks.Core.Scenarios;
using Benchmarks.Core.Thresholds;

namespace Benchmarks.Core.Loading;

/// <summary>
/// Reads <c>faults:</c>: what to do to which store, when and for how long, each checked before anything runs;
/// and checks that thresholds on phases or recovery have faults to judge.
/// </summary>
internal static class FaultBinding
{
    public static IReadOnlyList<FaultDefinition> Bind(ScenarioSection top, StoreDefinition? store, TimeSpan? measured)
    {
        var faults = new List<FaultDefinition>();
        if (!top.Has("faults"))
        {
            return faults;
        }

        var names = (store?.Settings as FlowStores)?.Stores.Select(s => s.Name).ToList();
        foreach (var entry in top.GetMappings("faults", "the list of faults is empty", "add a fault, e.g. - { at: 10s, action: pause, duration: 2s }",
            "{ at: 10s, action: pause, duration: 2s }"))
        {
            var action = entry.GetChoice("action", FaultAction.Pause, FaultDefinition.Actions, required: true);
            var at = entry.GetDuration("at", TimeSpan.Zero, required: true);
            var lasts = action is FaultAction.Kill or FaultAction.Pause or FaultAction.Slow;
            var duration = entry.GetDuration("duration", TimeSpan.Zero, min: TimeSpan.Zero, required: lasts);
            if (lasts && entry.Has("duration") && duration < TimeSpan.FromMilliseconds(100))
            {
                entry.Fail("duration", "a fault this short would not be seen in one-second intervals", "give it at least 100ms");
            }

            var target = entry.GetString("target");
            if (names is not null && action != FaultAction.Command)
            {
                if (target is null)
                {
                    entry.Fail("action", "a flow scenario has several stores: say which one the fault acts on", $"add target: one of {string.Join(", ", names)}");
                }
                else if (!names.Contains(target))
                {
                    entry.Fail("target", $"'{target}' is not one of the scenario's stores", ScenarioSection.Suggest(target, names) ?? $"stores: {string.Join(", ", names)}");
                }
            }
            else if (names is null && target is not null)
            {
                entry.Fail("target", "this scenario has one store, and the fault acts on it", "remove 'target' (it names a store of a flow scenario)");
            }

            var command = entry.GetString("command", required: action == FaultAction.Command);
            var endCommand = entry.GetString("endCommand");
            if (action != FaultAction.Command && (command is not null || endCommand is not null))
            {
                entry.Fail(command is not null ? "command" : "endCommand", $"a {FaultDefinition.NameOf(action)} fault runs no command", "use action: command to run one");
            }

            if (endCommand is not null && !entry.Has("duration"))
            {
                entry.Fail("endCommand", "the end command runs after the duration, and there is none", "add duration: how long after 'at' it runs");
            }

            if (measured is { } window && window > TimeSpan.Zero && at + duration > window)
            {
                entry.Fail("at", $"the fault ends after the measured window ({Units.FormatDuration(window)})", "start it earlier or lengthen load.duration, so that recovery can be seen");
            }

            entry.Complete();
            faults.Add(new FaultDefinition(action, at, duration, target, command, endCommand));
        }

        return faults;
    }

    /// <summary>Thresholds on phases or recovery need faults; a phase is judged on latency, throughput and errors.</summary>
    public static void CheckThresholds(ScenarioSection top, IReadOnlyList<SlaThreshold> sla, IReadOnlyList<FaultDefinition> faults)
    {
        foreach (var t in sla.Where(t => t.Phase is not null || t.Metric == SlaMetric.Recovery))
        {
            if (faults.Count == 0)
            {
                top.Fail("sla", $"'{t.Text}' judges a fault, and the scenario has none", "add faults: (e.g. - { at: 10s, action: pause, duration: 2s }) or remove the threshold");
            }
            else if (t.Phase is not null && t.Metric is SlaMetric.StorePercentile or SlaMetric.StoreMax or SlaMetric.StoreRate or SlaMetric.HitRatio)
            {
                top.Fail("sla", $"'{t.Text}': a phase is judged on latency, throughput and errors", "judge the store metric over the whole window, without the phase");
            }
        }
    }
}
