using Benchmarks.Reports.Micro;

namespace Benchmarks.Reports.Gate;

/// <summary>
/// The gate for BenchmarkDotNet results, by the same rules as for runs: the mean time regresses when it
/// is beyond its tolerance and the per-iteration measurements confirm it (Mann–Whitney); allocation per
/// operation is deterministic, so any growth beyond its tolerance regresses.
/// </summary>
public static class MicroComparer
{
    public static readonly IReadOnlyDictionary<string, double> Defaults = new Dictionary<string, double>(StringComparer.Ordinal)
    {
        ["time"] = 10,
        ["allocated"] = 0,
    };

    public static RunComparison Compare(string title, IReadOnlyList<MicroBenchmark> baseline, IReadOnlyList<MicroBenchmark> current, IReadOnlyDictionary<string, double>? tolerances = null)
    {
        var tol = new Dictionary<string, double>(Defaults, StringComparer.Ordinal);
        foreach (var (k, v) in tolerances ?? new Dictionary<string, double>())
        {
            tol[k] = v;
        }

        var before = baseline.ToDictionary(b => b.Key);
        var metrics = new List<MetricComparison>();
        foreach (var b in current)
        {
            if (!before.TryGetValue(b.Key, out var old))
            {
                metrics.Add(new MetricComparison(b.Display, "time", "ns", 0, b.MeanNs, null, null, Verdicts.Info, "not in the baseline"));
                continue;
            }

            metrics.Add(RunComparer.Judge(b.Display, "time", "ns", old.MeanNs, b.MeanNs, old.SamplesNs, b.SamplesNs, tol["time"], higherIsWorse: true));
            if (old.AllocatedBytes is { } oldBytes && b.AllocatedBytes is { } newBytes)
            {
                var limit = oldBytes * (1 + (tol["allocated"] / 100));
                var verdict = newBytes > limit ? Verdicts.Regression : newBytes < oldBytes ? Verdicts.Improvement : Verdicts.Same;
                metrics.Add(new MetricComparison(b.Display, "allocated", "B/op", oldBytes, newBytes,
                    oldBytes > 0 ? Math.Round(100 * (newBytes - oldBytes) / oldBytes, 2) : null, tol["allocated"], verdict,
                    verdict == Verdicts.Regression ? "allocates more per operation (deterministic: no test needed)" : "allocation within tolerance"));
            }
        }

        return new RunComparison(title, "baseline", "current", metrics);
    }
}
