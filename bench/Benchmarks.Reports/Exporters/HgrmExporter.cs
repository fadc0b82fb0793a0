using System.Globalization;
using Benchmarks.Core.Results;
using HdrHistogram;

namespace Benchmarks.Reports.Exporters;

/// <summary>
/// HdrHistogram's percentile distribution format (.hgrm), values in milliseconds: <c>&lt;op&gt;.hgrm</c>
/// for the corrected latency and <c>&lt;op&gt;.uncorrected.hgrm</c> beside it, plotted as the reference tools do.
/// </summary>
public sealed class HgrmExporter : IExporter<RunOutcome>
{
    public string Name => "hgrm";

    public static string FileName(string operation, bool corrected) => OutputFileNames.Hgrm(operation, corrected);

    public IReadOnlyList<string> Export(RunOutcome subject, string folder)
    {
        var written = new List<string>();
        foreach (var h in subject.Histograms)
        {
            written.Add(Write(folder, FileName(h.Name, true), h.Corrected));
            written.Add(Write(folder, FileName(h.Name, false), h.Uncorrected));
        }

        return written;
    }

    private static string Write(string directory, string name, HistogramBase histogram)
    {
        var path = Path.Combine(directory, name);
        using var writer = new StreamWriter(path) { NewLine = "\n" };
        if (histogram.TotalCount == 0)
        {
            writer.WriteLine("#[No values recorded]");
            return path;
        }

        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        try
        {
            // Microsecond histogram scaled by 1000: the file reads in milliseconds.
            histogram.OutputPercentileDistribution(writer, 5, 1000.0, false);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }

        return path;
    }
}
