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

    /// <param name="windows">Periods to shade (a scripted fault from its actual start to its end), in the chart's seconds.</param>
    /// <param name="xLabel">The x axis: by default seconds of the measured window.</param>
    public static string TimeSeries(string title, string yLabel, IReadOnlyList<ChartSeries> series, IReadOnlyList<ChartLine>? lines = null,
        IReadOnlyList<(double From, double To, string Label)>? windows = null, string xLabel = "time in the measured window (s)")
    {
        var plot = Start(title, xLabel, yLabel);
        foreach (var (w, i) in (windows ?? []).Select((w, i) => (w, i)))
        {
            var span = plot.Add.HorizontalSpan(w.From, Math.Max(w.To, w.From + 0.05));
            span.FillStyle.Color = Target.WithAlpha(0.15);
            span.LineStyle.Width = 0;
            span.LegendText = i == 0 ? w.Label : "";
        }

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

    /// <summary>
    /// The planner's curve: latency percentiles against the offered rate, the passing steps joined in rate order,
    /// every other step a marker of its kind, on a logarithmic latency axis (so the region under the SLA is
    /// readable next to overloaded steps seconds long); the SLA, the capacity and a baseline's p99 curve when given.
    /// </summary>
    public static string LatencyAgainstLoad(string title, CapacityCurve curve, IReadOnlyList<ChartLine> targets, double? capacity, CapacityCurve? baseline = null)
    {
        var plot = Start(title, "offered load (operations/s)", "latency (ms, log scale)");
        var passing = curve.Passing;
        double[] x = [.. passing.Select(p => p.OfferedPerSecond)];
        Line(plot, "p50", x, [.. passing.Select(p => p.P50)], Third);
        Line(plot, "p99", x, [.. passing.Select(p => p.P99)], Corrected);
        Line(plot, "p99.9", x, [.. passing.Select(p => p.P999)], Uncorrected);
        if (baseline is not null)
        {
            // Grey, not dashed: Skia's SVG canvas cannot dash a sloped line.
            Line(plot, "baseline p99", [.. baseline.Passing.Select(p => p.OfferedPerSecond)], [.. baseline.Passing.Select(p => p.P99)], Baseline);
        }

        foreach (var group in curve.Others.GroupBy(p => (p.Kind, p.Repeat)).OrderBy(g => g.Key.Kind))
        {
            var (name, color, shape) = Marker(group.Key.Kind, group.Key.Repeat);
            Points(plot, $"{name} (p99)", [.. group.Select(p => p.OfferedPerSecond)], [.. group.Select(p => LogMs(p.P99))], color, shape);
        }

        foreach (var t in targets)
        {
            var line = plot.Add.HorizontalLine(LogMs(t.Y), 2, t.Color, LinePattern.Dashed);
            line.LegendText = t.Name;
        }

        if (capacity is { } c)
        {
            var line = plot.Add.VerticalLine(c, 2, Third, LinePattern.Dotted);
            line.LegendText = string.Create(CultureInfo.InvariantCulture, $"capacity {c:0.#}/s");
        }

        var all = passing.Concat(curve.Others).Concat(baseline?.Passing ?? []).ToList();
        var values = all.SelectMany(p => new[] { p.P50, p.P99, p.P999 }).Concat(targets.Select(t => t.Y)).Where(v => v > 0).DefaultIfEmpty(1).ToList();
        var (positions, labels) = LogTicks(values.Min(), values.Max());
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, labels);
        plot.Axes.SetLimitsY(positions[0] - 0.05, positions[^1] + 0.05);
        plot.Axes.SetLimitsX(0, all.Select(p => p.OfferedPerSecond).Append(capacity ?? 0).DefaultIfEmpty(1).Max() * 1.05);
        // Up to ten entries: beside the plot, never over a point.
        return Finish(plot, Edge.Right);
    }

    /// <summary>Achieved against offered throughput per step, with the line where they are equal: saturation at a glance.</summary>
    public static string Saturation(string title, CapacityCurve curve)
    {
        var plot = Start(title, "offered load (operations/s)", "achieved (operations/s)");
        var all = curve.Passing.Concat(curve.Others).ToList();
        var top = all.Select(p => Math.Max(p.OfferedPerSecond, p.AchievedPerSecond)).DefaultIfEmpty(1).Max() * 1.05;
        // Solid and thin: Skia's SVG canvas cannot dash a sloped line (it prints "Unsupported path effect" and draws it solid anyway).
        var equal = plot.Add.Scatter(new double[] { 0, top }, new double[] { 0, top }, Baseline);
        equal.LineWidth = 1;
        equal.MarkerSize = 0;
        equal.LegendText = "achieved = offered";
        Points(plot, "passed", [.. curve.Passing.Select(p => p.OfferedPerSecond)], [.. curve.Passing.Select(p => p.AchievedPerSecond)], Corrected, MarkerShape.FilledCircle);
        foreach (var group in curve.Others.GroupBy(p => (p.Kind, p.Repeat)).OrderBy(g => g.Key.Kind))
        {
            var (name, color, shape) = Marker(group.Key.Kind, group.Key.Repeat);
            Points(plot, name, [.. group.Select(p => p.OfferedPerSecond)], [.. group.Select(p => p.AchievedPerSecond)], color, shape);
        }

        plot.Axes.SetLimits(0, top, 0, top);
        return Finish(plot, Edge.Right);
    }

    /// <summary>Ticks of a log10 axis over [min, max] ms: 1, 2 and 5 of each decade (decades only when they span more than three), as (log10 position, label).</summary>
    public static (double[] Positions, string[] Labels) LogTicks(double minMs, double maxMs)
    {
        var low = Math.Floor(LogMs(minMs));
        var high = Math.Ceiling(LogMs(maxMs));
        if (high <= low)
        {
            high = low + 1;
        }

        double[] steps = high - low > 3 ? [1] : [1, 2, 5];
        var ticks = new List<double>();
        for (var decade = low; decade <= high; decade++)
        {
            ticks.AddRange(steps.Select(m => m * Math.Pow(10, decade)).Where(v => LogMs(v) <= high + 1e-9));
        }

        return ([.. ticks.Select(LogMs)], [.. ticks.Select(v => v.ToString("0.###", CultureInfo.InvariantCulture))]);
    }

    /// <summary>The position of a latency on the log axis; below 1 µs (the histograms' floor) it is 1 µs.</summary>
    private static double LogMs(double ms) => Math.Log10(Math.Max(ms, 0.001));

    private static (string Name, Color Color, MarkerShape Shape) Marker(StepKind kind, bool repeat) => kind switch
    {
        StepKind.Passed => ("passed, repeated rate", Corrected, MarkerShape.OpenCircle),
        StepKind.Failed => (repeat ? "failed SLA, repeated rate" : "failed SLA", Target, MarkerShape.Cross),
        StepKind.Overloaded => ("overloaded (achieved < 95% of offered)", Target, MarkerShape.FilledTriangleUp),
        StepKind.Inconclusive => ("inconclusive", Baseline, MarkerShape.FilledDiamond),
        _ => ("invalid", Baseline, MarkerShape.FilledSquare),
    };

    private static void Line(Plot plot, string name, double[] x, double[] latencies, Color color)
    {
        if (x.Length == 0)
        {
            return;
        }

        var scatter = plot.Add.Scatter(x, [.. latencies.Select(LogMs)], color);
        scatter.LegendText = name;
        scatter.MarkerSize = 7;
        scatter.LineWidth = 2;
    }

    private static void Points(Plot plot, string name, double[] x, double[] y, Color color, MarkerShape shape)
    {
        if (x.Length == 0)
        {
            return;
        }

        var scatter = plot.Add.Scatter(x, y, color);
        scatter.LegendText = name;
        scatter.LineWidth = 0;
        scatter.MarkerShape = shape;
        scatter.MarkerSize = 10;
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
        return Svg(plot);
    }

    private static string Finish(Plot plot, Edge legend)
    {
        plot.ShowLegend(legend);
        return Svg(plot);
    }

    private static string Svg(Plot plot)
    {
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
