using Benchmarks.Core.Recording;
using Benchmarks.Core.Results;
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
        var hlog = result.Files.Hlog is { } name ? Path.Combine(directory, name) : null;
        var intervals = hlog is not null && File.Exists(hlog) ? HlogReader.ReadIntervals(hlog) : [];

        // The untagged lines are the total's corrected latency.
        HistogramBase Get(string tag) => HlogReader.Sum(intervals, tag == "total.corrected" ? null : tag);
        var histograms = result.Operations.Select(o => o.Name).Append("total")
            .Select(n => new OperationHistograms(n, Get($"{n}.corrected"), Get($"{n}.uncorrected"))).ToList();
        return new RunOutcome(result, histograms, directory);
    }
}
