using System.Globalization;
using System.Text.RegularExpressions;
using HdrHistogram;
using ScottPlot;

namespace Benchmarks.Reports.Html;

/// <summary>A series for a chart: a name, points, and whether to draw it dashed (baselines, targets).</summary>
public sealed record ChartSeries(string Name, double[] X, double[] Y, Color Color, bool Dashed = false);

/// <summary>A horizontal reference line: an SLA target.</summary>
public sealed record ChartLine(string Name, double Y, Color Color);

/// <summary>
/// Charts as inline SVG, drawn by ScottPlot (no system dependency on Linux). Each SVG is made fit for
/// inlining: no XML declaration, a viewBox so it scales, and clip-path ids prefixed with a hash of the
/// chart, because ScottPlot numbers them from a process-wide counter (so a page's output would depend
/// on what the process drew before). No state of its own: the same data always gives the same SVG.
/// </summary>
public static partial class Charts
{
    public const int Width = 860;
    public const int Height = 360;

    private static readonly double[] PercentileTicks = [50, 90, 99, 99.9, 99.99, 99.999];

    /// <summary>The default family here is a serif; every Debian image with fonts has DejaVu Sans. Set per plot, not process-wide.</summary>
    private const string FontFamily = "DejaVu Sans";

    public static readonly Color Corrected = Color.FromHex("#1f77b4");
    public static readonly Color Uncorrected = Color.FromHex("#ff7f0e");
    public static readonly Color Baseline = Color.FromHex("#7f7f7f");
    public static readonly Color Target = Color.FromHex("#d62728");
    public static readonly Color Third = Color.FromHex("#2ca02c");

    /// <summary>x of a percentile on HdrHistogram's axis: log10(1 / (1 - p)).</summary>
    public static double PercentileAxis(double percentile) => Math.Log10(1 / (1 - (Math.Min(percentile, 99.9999) / 100)));

    /// <summary>The percentile curve of a microsecond histogram, in ms.</summary>
    public static ChartSeries PercentileCurve(string name, HistogramBase histogram, Color color, bool dashed = false)
    {
        var points = histogram.TotalCount == 0
            ? []
            : histogram.Percentiles(5).Select(v => (X: PercentileAxis(v.PercentileLevelIteratedTo), Y: histogram.HighestEquivalentValue(v.ValueIteratedTo) / 1000.0))
                .Where(p => double.IsFinite(p.X)).ToList();
        return new ChartSeries(name, [.. points.Select(p => p.X)], [.. points.Select(p => p.Y)], color, dashed);
    }

    public static string PercentileDistribution(string title, IReadOnlyList<ChartSeries> series, IReadOnlyList<ChartLine> targets)
    {
        var plot = Start(title, "percentile", "latency (ms)");
        var maxX = series.Where(s => s.X.Length > 0).Select(s => s.X.Max()).DefaultIfEmpty(2).Max();
        var ticks = PercentileTicks.Where(p => PercentileAxis(p) <= Math.Max(maxX, PercentileAxis(99.9)) + 0.01).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. ticks.Select(PercentileAxis)], [.. ticks.Select(p => p.ToString("0.###", CultureInfo.InvariantCulture) + "%")]);
        AddSeries(plot, series);
        var top = series.SelectMany(s => s.Y).DefaultIfEmpty(1).Max();

        // A target far above the data would flatten the curves: keep the scale of the data and say so.
        var drawn = targets.Where(t => t.Y <= 3 * top).ToList();
        foreach (var t in targets)
        {
            var line = plot.Add.HorizontalLine(t.Y, 2, t.Color, LinePattern.Dashed);
            line.LegendText = drawn.Contains(t) ? t.Name : $"{t.Name} (above the chart)";
        }

        plot.Axes.SetLimitsX(0, Math.Max(maxX, PercentileAxis(99.9)) * 1.02);
        plot.Axes.SetLimitsY(0, Math.Max(top, drawn.Select(t => t.Y).DefaultIfEmpty(0).Max()) * 1.1);
        return Finish(plot, Alignment.UpperLeft);
    }

    public static string TimeSeries(string title, string yLabel, IReadOnlyList<ChartSeries> series, IReadOnlyList<ChartLine>? lines = null)
    {
        var plot = Start(title, "time in the measured window (s)", yLabel);
        AddSeries(plot, series);
        foreach (var t in lines ?? [])
        {
            var line = plot.Add.HorizontalLine(t.Y, 2, t.Color, LinePattern.Dashed);
            line.LegendText = t.Name;
        }

        var top = series.SelectMany(s => s.Y).Concat((lines ?? []).Select(l => l.Y)).DefaultIfEmpty(1).Max();
        plot.Axes.SetLimitsY(0, top <= 0 ? 1 : top * 1.15);
        return Finish(plot, Alignment.UpperRight);
    }

    /// <summary>Latency against achieved throughput, one point per step: the hockey stick, with the SLA and the capacity found.</summary>
    public static string HockeyStick(string title, IReadOnlyList<ChartSeries> series, IReadOnlyList<ChartLine> targets, double? capacity)
    {
        var plot = Start(title, "achieved throughput (operations/s)", "latency (ms)");
        foreach (var s in series.Where(s => s.X.Length > 0))
        {
            var scatter = plot.Add.Scatter(s.X, s.Y, s.Color);
            scatter.LegendText = s.Name;
            scatter.MarkerSize = 7;
            scatter.LineWidth = 2;
        }

        var top = series.SelectMany(s => s.Y).DefaultIfEmpty(1).Max();
        foreach (var t in targets)
        {
            var line = plot.Add.HorizontalLine(t.Y, 2, t.Color, LinePattern.Dashed);
            line.LegendText = t.Name;
        }

        if (capacity is { } c)
        {
            var line = plot.Add.VerticalLine(c, 2, Third, LinePattern.Dotted);
            line.LegendText = string.Create(CultureInfo.InvariantCulture, $"capacity {c:0.#}/s");
        }

        plot.Axes.SetLimitsY(0, Math.Max(top, targets.Select(t => t.Y).DefaultIfEmpty(0).Max()) * 1.1);
        return Finish(plot, Alignment.UpperLeft);
    }

    /// <summary>One bar per item (labelled #1, #2... to match a table), e.g. the change of each benchmark's mean.</summary>
    public static string Bars(string title, string yLabel, IReadOnlyList<double> values, IReadOnlyList<bool> highlighted)
    {
        var plot = Start(title, "benchmark (# in the table)", yLabel);
        var bars = plot.Add.Bars(values.Select((v, i) => new Bar
        {
            Position = i + 1,
            Value = v,
            FillColor = highlighted[i] ? Target : Corrected,
        }).ToArray());
        _ = bars;
        var positions = Enumerable.Range(1, values.Count).Select(i => (double)i).ToArray();
        var step = Math.Max(1, values.Count / 20);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. positions.Where((_, i) => i % step == 0)], [.. positions.Where((_, i) => i % step == 0).Select(p => $"#{p:0}")]);
        plot.Add.HorizontalLine(0, 1, Baseline);
        return Finish(plot, Alignment.UpperRight);
    }

    private static Plot Start(string title, string x, string y)
    {
        var plot = new Plot();
        plot.Font.Set(FontFamily);
        plot.Title(title, 15);
        plot.XLabel(x, 13);
        plot.YLabel(y, 13);
        return plot;
    }

    private static void AddSeries(Plot plot, IReadOnlyList<ChartSeries> series)
    {
        foreach (var s in series.Where(s => s.X.Length > 0))
        {
            var scatter = plot.Add.Scatter(s.X, s.Y, s.Color);
            scatter.LegendText = s.Name;
            scatter.MarkerSize = s.X.Length == 1 ? 6 : 0;
            scatter.LineWidth = 2;
            if (s.Dashed)
            {
                scatter.LinePattern = LinePattern.Dashed;
            }
        }
    }

    private static string Finish(Plot plot, Alignment legend)
    {
        plot.ShowLegend(legend);
        var svg = XmlDeclaration().Replace(InvariantSvg(plot), "");
        // ScottPlot's own ids differ from drawing to drawing: number them from 0 within the chart, then make
        // them unique across the page with a hash of the chart itself (identical charts may share ids harmlessly).
        var local = new Dictionary<string, int>(StringComparer.Ordinal);
        svg = ClipPathId().Replace(svg, m => $"{m.Groups[1].Value}cl_{(local.TryGetValue(m.Groups[2].Value, out var n) ? n : local[m.Groups[2].Value] = local.Count)}");
        var id = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(svg)))[..8];
        svg = ClipPathId().Replace(svg, m => $"{m.Groups[1].Value}c{id}-{m.Groups[2].Value}");
        if (!svg.Contains("viewBox", StringComparison.Ordinal))
        {
            svg = svg.Replace("<svg ", $"<svg viewBox=\"0 0 {Width} {Height}\" preserveAspectRatio=\"xMidYMid meet\" ", StringComparison.Ordinal);
        }

        return svg.Trim();
    }

    /// <summary>
    /// ScottPlot formats tick labels with the current culture (1,5 under de-DE): the page must read the same
    /// on every machine, so the SVG is drawn under the invariant culture, on this thread only.
    /// </summary>
    private static string InvariantSvg(Plot plot)
    {
        var culture = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        try
        {
            return plot.GetSvgXml(Width, Height);
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    [GeneratedRegex(@"<\?xml[^>]*\?>", RegexOptions.CultureInvariant)]
    private static partial Regex XmlDeclaration();

    /// <summary>Matches id="X", url(#X) and href="#X" for ScottPlot's clip-path ids.</summary>
    [GeneratedRegex(@"(id=""|url\(#|href=""#)(cl_[0-9a-fA-F]+)", RegexOptions.CultureInvariant)]
    private static partial Regex ClipPathId();
}
