namespace Benchmarks.Core.Results;

/// <summary>
/// Where a flow's end-to-end time goes: each step's mean time per flow instance (its mean latency from its own
/// intended start times how often an instance runs it) and its share of the flow's mean. Means are what add up
/// along a flow; percentiles do not, so the tails stay in the latency tables, and the breakdown says so.
/// </summary>
public sealed record FlowBreakdown(string Flow, long Count, double? HitRatio, double MeanMs, double P99Ms, IReadOnlyList<StepShare> Steps)
{
    /// <summary>Think times and the harness's own work between steps: the flow's mean less its steps'.</summary>
    public double OtherMs => Math.Max(0, MeanMs - Steps.Sum(s => s.MeanPerFlowMs));

    /// <summary>One breakdown per flow of the run, in mix order; empty for a run without flows.</summary>
    public static IReadOnlyList<FlowBreakdown> Of(RunResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var breakdowns = new List<FlowBreakdown>();
        foreach (var flow in result.Operations.Where(o => o.PartOf is null))
        {
            var steps = result.Operations.Where(o => o.PartOf == flow.Name).ToList();
            if (steps.Count == 0)
            {
                continue;
            }

            var instances = Math.Max(1, flow.Count + flow.Errors.Total);
            var mean = flow.Latency.Corrected.Mean;
            breakdowns.Add(new FlowBreakdown(flow.Name, flow.Count, flow.HitRatio, mean, flow.Latency.Corrected.P99, [.. steps.Select(s =>
            {
                var perFlow = s.Latency.Corrected.Mean * s.Count / instances;
                return new StepShare(s.Name[(flow.Name.Length + 1)..], (double)(s.Count + s.Errors.Total) / instances, perFlow,
                    mean > 0 ? 100 * perFlow / mean : 0, s.Latency.Corrected.P99);
            })]));
        }

        return breakdowns;
    }
}

/// <param name="CallsPerFlow">How many times an instance runs the step on average (below 1 behind a branch: a cache's fallback).</param>
/// <param name="MeanPerFlowMs">The step's mean latency times its calls per flow: what it adds to the flow's mean.</param>
public sealed record StepShare(string Step, double CallsPerFlow, double MeanPerFlowMs, double SharePercent, double P99Ms);
