using HdrHistogram;

namespace Benchmarks.Core.Recording;

/// <summary>Reads back what <see cref="HlogWriter"/> wrote: the interval histograms, and their sums by tag.</summary>
public static class HlogReader
{
    /// <summary>
    /// Every complete interval of the log. Opened shared (the run that writes it may still hold it), and a
    /// line a killed process left unfinished (no newline yet) is not an interval: it is left out.
    /// </summary>
    public static List<HistogramBase> ReadIntervals(string path)
    {
        string text;
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        using (var streamReader = new StreamReader(file))
        {
            text = streamReader.ReadToEnd();
        }

        var complete = text[..(text.LastIndexOf('\n') + 1)];
        using var reader = new HistogramLogReader(new MemoryStream(System.Text.Encoding.ASCII.GetBytes(complete)));
        return [.. reader.ReadHistograms()];
    }

    /// <summary>The sum of the intervals tagged <paramref name="tag"/> (null: the untagged total); empty when there are none.</summary>
    public static HistogramBase Sum(IEnumerable<HistogramBase> intervals, string? tag)
    {
        var sum = Histograms.Create();
        foreach (var h in intervals.Where(h => h.Tag == tag))
        {
            sum.Add(h);
        }

        return sum;
    }
}
