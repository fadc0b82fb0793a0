using System.Globalization;
using System.Text.RegularExpressions;
using Benchmarks.Core.Scenarios;

namespace Benchmarks.Core.Thresholds;

public enum SlaMetric
{
    Percentile,
    Max,
    Throughput,
    Errors,
    Dropped,
}

public enum Comparison
{
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Equal,
}

/// <summary>
/// One target in k6 style: <c>p(99) &lt; 1ms</c>, <c>get.p(99.9) &lt; 5ms</c>, <c>max &lt; 50ms</c>,
/// <c>throughput &gt;= 9900/s</c>, <c>errors &lt; 0.1%</c>, <c>dropped == 0</c>. Latency targets are judged on
/// the coordinated-omission-corrected latency; a prefix names an operation of the mix, none means the total.
/// </summary>
public sealed partial record SlaThreshold(
    string Text,
    string? Operation,
    SlaMetric Metric,
    double Percentile,
    Comparison Comparison,
    double Target,
    bool TargetIsRatio,
    bool Implicit = false)
{
    public const string Hint = "write e.g. 'p(99) < 1ms', 'get.p(99.9) < 5ms', 'max < 50ms', 'throughput >= 9900/s', 'errors < 0.1%', 'dropped == 0'";

    [GeneratedRegex(@"^\s*(?:(?<op>[A-Za-z0-9_-]+)\.)?(?<metric>p\((?<p>[^)]*)\)|max|throughput|errors|dropped)\s*(?<cmp><=|>=|==|<|>)\s*(?<value>\S.*?)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    /// <summary>Unit of <see cref="Target"/> as results print it.</summary>
    public string Unit => Metric switch
    {
        SlaMetric.Percentile or SlaMetric.Max => "ms",
        SlaMetric.Throughput => "ops/s",
        _ => TargetIsRatio ? "%" : "ops",
    };

    public string MetricName => Metric switch
    {
        SlaMetric.Percentile => string.Create(CultureInfo.InvariantCulture, $"p({Percentile})"),
        _ => Metric.ToString().ToLowerInvariant(),
    };

    public static bool TryParse(string text, out SlaThreshold threshold, out string? problem)
    {
        threshold = null!;
        problem = null;
        var m = Pattern().Match(text);
        if (!m.Success)
        {
            problem = $"'{text}' is not a threshold";
            return false;
        }

        var op = m.Groups["op"].Success ? m.Groups["op"].Value : null;
        var cmp = m.Groups["cmp"].Value switch
        {
            "<" => Comparison.Less,
            "<=" => Comparison.LessOrEqual,
            ">" => Comparison.Greater,
            ">=" => Comparison.GreaterOrEqual,
            _ => Comparison.Equal,
        };
        var value = m.Groups["value"].Value;
        var metricText = m.Groups["metric"].Value;

        if (metricText.StartsWith("p(", StringComparison.Ordinal))
        {
            if (!double.TryParse(m.Groups["p"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var p) || p <= 0 || p > 100)
            {
                problem = $"percentile '{m.Groups["p"].Value}' in '{text}' is not in (0, 100]";
                return false;
            }

            return Latency(text, op, SlaMetric.Percentile, p, cmp, value, out threshold, out problem);
        }

        switch (metricText)
        {
            case "max":
                return Latency(text, op, SlaMetric.Max, 100, cmp, value, out threshold, out problem);
            case "throughput":
                if (value.TrimStart().StartsWith('-') || !Units.TryParseRate(value, out var rate))
                {
                    problem = $"'{value}' in '{text}' is not a rate ({Units.RateHint})";
                    return false;
                }

                threshold = new SlaThreshold(text, op, SlaMetric.Throughput, 0, cmp, rate, false);
                return true;
            default:
                var metric = metricText == "errors" ? SlaMetric.Errors : SlaMetric.Dropped;
                if (metric == SlaMetric.Dropped && op is not null)
                {
                    problem = "dropped operations never chose an operation of the mix, so 'dropped' has no prefix";
                    return false;
                }

                var isRatio = value.EndsWith('%');
                var number = isRatio ? value[..^1] : value;
                if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var target) || target < 0 || (isRatio && target > 100))
                {
                    problem = $"'{value}' in '{text}' is not a count or a percentage from 0% to 100%";
                    return false;
                }

                threshold = new SlaThreshold(text, op, metric, 0, cmp, target, isRatio);
                return true;
        }
    }

    private static bool Latency(string text, string? op, SlaMetric metric, double p, Comparison cmp, string value, out SlaThreshold threshold, out string? problem)
    {
        threshold = null!;
        problem = null;
        if (!Units.TryParseDuration(value, out var duration))
        {
            problem = $"'{value}' in '{text}' is not a duration with a unit ({Units.DurationHint})";
            return false;
        }

        threshold = new SlaThreshold(text, op, metric, p, cmp, duration.TotalMilliseconds, false);
        return true;
    }

    public bool Holds(double measured) => Comparison switch
    {
        Comparison.Less => measured < Target,
        Comparison.LessOrEqual => measured <= Target,
        Comparison.Greater => measured > Target,
        Comparison.GreaterOrEqual => measured >= Target,
        _ => Math.Abs(measured - Target) < 1e-9,
    };

    /// <summary>How far the measurement is on the good side of the target (negative: by how much it missed).</summary>
    public double Margin(double measured) => Comparison is Comparison.Less or Comparison.LessOrEqual ? Target - measured
        : Comparison is Comparison.Greater or Comparison.GreaterOrEqual ? measured - Target
        : 0 - Math.Abs(measured - Target);
}
