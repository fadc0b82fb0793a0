using Benchmarks.Core.Results;
using Benchmarks.Reports.History;
using Benchmarks.UnitTests.Reports;

namespace Benchmarks.UnitTests.History;

/// <summary>A fixed history for the trend's tests and its page in the browser.</summary>
internal static class FixedHistory
{
    /// <summary>Three runs of one scenario a day apart: as measured, 5 % slower, then twice as slow.</summary>
    internal static string AppendThree(string file, string folder)
    {
        foreach (var (scale, day) in new[] { (1.0, 0), (1.05, 1), (2.0, 2) })
        {
            var outcome = FixedRun.Create(Path.Combine(folder, $"run-{day}"), latencyScale: scale);
            var result = outcome.Result with { StartTime = outcome.Result.StartTime.AddDays(day) };
            RunHistory.Append(file, result, Path.Combine(outcome.OutputDirectory, OutputFileNames.Result), $"c0ffee{day}000000000000");
        }

        return file;
    }
}
