using Benchmarks.Core.Recording;
using Benchmarks.Core.Results;
using Benchmarks.Reports.Exporters;
using HdrHistogram;

namespace Benchmarks.Reports.Loading;

/// <summary>
/// Reads a finished run back from disk: result.json, and the full histograms rebuilt by adding up the
/// intervals of its .hlog, so every report can be rendered again without rerunning.
/// </summary>
public static class RunFolder
{
    /// <summary>Accepts a result.json file or the folder holding it.</summary>
    public static string ResultPath(string path) =>
        Directory.Exists(path) ? Path.Combine(path, OutputFileNames.Result) : path;

    public static RunOutcome Load(string path)
    {
        var resultPath = ResultPath(path);
        if (!File.Exists(resultPath))
        {
            throw new FileNotFoundException($"no result.json at {resultPath}", resultPath);
        }

        var result = ResultJson.Read(resultPath);
        var directory = Path.GetDirectoryName(Path.GetFullPath(resultPath))!;
        var sums = new Dictionary<string, HistogramBase>(StringComparer.Ordinal);
        var hlog = result.Files.Hlog is { } name ? Path.Combine(directory, name) : null;
        if (hlog is not null && File.Exists(hlog))
        {
            using var stream = File.OpenRead(hlog);
            using var reader = new HistogramLogReader(stream);
            foreach (var interval in reader.ReadHistograms())
            {
                var tag = interval.Tag ?? "total.corrected";
                if (!sums.TryGetValue(tag, out var sum))
                {
                    sums[tag] = sum = Histograms.Create();
                }

                sum.Add(interval);
            }
        }

        HistogramBase Get(string tag) => sums.TryGetValue(tag, out var h) ? h : Histograms.Create();
        var histograms = result.Operations.Select(o => o.Name).Append("total")
            .Select(n => new OperationHistograms(n, Get($"{n}.corrected"), Get($"{n}.uncorrected"))).ToList();
        return new RunOutcome(result, histograms, directory);
    }
}
