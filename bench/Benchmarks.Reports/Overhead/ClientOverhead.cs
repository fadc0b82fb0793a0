using System.Globalization;
using System.Text;
using Benchmarks.Core.Results;

namespace Benchmarks.Reports.Overhead;

/// <summary>One percentile of the whole run's latency (from the intended start) through each client, in milliseconds.</summary>
public sealed record PercentileOverhead(string Percentile, double ClientMs, double BaselineMs)
{
    /// <summary>What the client adds over the baseline at this percentile (negative: it is faster there).</summary>
    public double DifferenceMs => Math.Round(ClientMs - BaselineMs, 3);
}

/// <summary>
/// What a client library costs a scenario's latency on this machine: the same scenario run through it and through a
/// baseline client (the lean path) in alternating rounds, each percentile the median of its rounds, and the
/// difference per percentile. Built once from the runs' results; the Markdown and JSON say the same figures.
/// </summary>
public sealed record ClientOverhead(
    string Scenario,
    string Client,
    string Baseline,
    int Rounds,
    double ClientThroughput,
    double BaselineThroughput,
    IReadOnlyList<PercentileOverhead> Percentiles,
    string Machine)
{
    public static ClientOverhead Of(string client, IReadOnlyList<RunResult> clientRuns, string baseline, IReadOnlyList<RunResult> baselineRuns)
    {
        if (clientRuns.Count == 0 || clientRuns.Count != baselineRuns.Count)
        {
            throw new ArgumentException("as many runs of each client, at least one", nameof(clientRuns));
        }

        static double Median(IEnumerable<double> values)
        {
            var sorted = values.Order().ToArray();
            return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
        }

        PercentileOverhead At(string name, Func<LatencySummary, double> read) =>
            new(name, Math.Round(Median(clientRuns.Select(r => read(r.Total.Latency.Corrected))), 3), Math.Round(Median(baselineRuns.Select(r => read(r.Total.Latency.Corrected))), 3));

        var first = clientRuns[0];
        return new ClientOverhead(
            first.Scenario.Name,
            client,
            baseline,
            clientRuns.Count,
            Math.Round(Median(clientRuns.Select(r => r.Total.ThroughputPerSecond)), 1),
            Math.Round(Median(baselineRuns.Select(r => r.Total.ThroughputPerSecond)), 1),
            [At("p50", l => l.P50), At("p90", l => l.P90), At("p99", l => l.P99), At("p99.9", l => l.P999), At("max", l => l.Max)],
            string.Create(CultureInfo.InvariantCulture, $"{first.Environment.Machine}, {first.Environment.Cores} cores, {first.Environment.Os}"));
    }

    /// <summary>The sentence an engineer validating a 1 ms SLA needs: how much of the p99 is the client library.</summary>
    public string Headline()
    {
        var p99 = Percentiles.Single(p => p.Percentile == "p99");
        return string.Create(CultureInfo.InvariantCulture,
            $"of the p99 of {p99.ClientMs:0.###} ms through {Client}, {p99.DifferenceMs:0.###} ms is the client library on this machine ({Baseline} measured {p99.BaselineMs:0.###} ms in the same minutes; median of {Rounds} alternating round{(Rounds == 1 ? "" : "s")})");
    }

    public string Markdown()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# Client overhead: {Scenario}");
        text.AppendLine();
        text.AppendLine(Headline() + ".");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"| latency (from the intended start) | {Client} ms | {Baseline} ms | {Client} − {Baseline} ms |");
        text.AppendLine("|---|---:|---:|---:|");
        foreach (var p in Percentiles)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {p.Percentile} | {p.ClientMs:0.###} | {p.BaselineMs:0.###} | {p.DifferenceMs:+0.###;-0.###;0} |");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"| throughput (ops/s) | {ClientThroughput:0.#} | {BaselineThroughput:0.#} | |");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Each figure is the median of {Rounds} run{(Rounds == 1 ? "" : "s")} per client, the clients alternating (machine: {Machine}). Every run's own reports are in the folders beside this file.");
        return text.ToString();
    }
}
