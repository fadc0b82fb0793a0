using System.Globalization;
using System.Text.RegularExpressions;
using Benchmarks.Core.Parsing;

namespace Benchmarks.Core.Thresholds;

public enum SlaMetric
{
    Percentile,
    Max,
    Throughput,
    Errors,
    Dropped,

    /// <summary>A percentile of a store metric (<c>ru.p(99) &lt; 5</c>).</summary>
    StorePercentile,

    /// <summary>The largest value of a store metric (<c>ru.max &lt; 50</c>).</summary>
    StoreMax,

    /// <summary>A store metric summed per second of the measured window (<c>source_rows_per_s &gt;= 1000000</c>).</summary>
    StoreRate,

    /// <summary>The errors of one kind (<c>throttled &lt; 0.5%</c>, <c>not-found == 0</c>).</summary>
    ErrorKind,

    /// <summary>A flow's hits over its lookups (<c>feature-serving.hit_ratio &gt;= 0.9</c>), a fraction.</summary>
    HitRatio,

    /// <summary>The longest time to recover from a scripted fault (<c>recovery &lt; 10s</c>), in seconds.</summary>
    Recovery,
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
    public const string Hint = "write e.g. 'p(99) < 1ms', 'get.p(99.9) < 5ms', 'max < 50ms', 'throughput >= 9900/s', 'errors < 0.1%', 'dropped == 0', " +
        "under faults 'recovery < 10s', 'during.errors < 5%', 'after.p(99) < 5ms', for a flow 'serving.p(99) < 10ms', 'serving.cache.p(99) < 1ms', 'serving.hit_ratio >= 0.9', and for a store's own metrics 'ru.p(99) < 5', 'source_rows_per_s >= 1000000', 'throttled < 0.5%'";

    /// <summary>The phase of a run with faults it judges (<c>during.errors &lt; 5%</c>): before, during or after; null for the whole window.</summary>
    public string? Phase { get; init; }

    /// <summary>The store metric judged (ru, rows...), for the Store* metrics.</summary>
    public string? StoreMetric { get; init; }

    /// <summary>The error kind counted (throttled, not-found...), for <see cref="SlaMetric.ErrorKind"/>.</summary>
    public string? ErrorKindName { get; init; }

    /// <summary>The unit of a store metric, filled in by the loader from the store's declaration.</summary>
    public string? StoreUnit { get; init; }

    [GeneratedRegex(@"^\s*recovery\s*(?<cmp><=|<)\s*(?<value>\S.*?)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex RecoveryPattern();

    [GeneratedRegex(@"^\s*(?:(?<op>[A-Za-z0-9_-]+)\.)?(?:(?<sm>[A-Za-z0-9_-]+)\.)?(?<metric>p\((?<p>[^)]*)\)|max|throughput|errors|dropped|hit_ratio|(?<rate>[a-z][a-z0-9_]*)_per_s|(?<kind>timeout|connection|server|client|constraint|not-found|throttled|other))\s*(?<cmp><=|>=|==|<|>)\s*(?<value>\S.*?)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    /// <summary>Unit of <see cref="Target"/> as results print it.</summary>
    public string Unit => Metric switch
    {
        SlaMetric.Percentile or SlaMetric.Max => "ms",
        SlaMetric.Throughput => "ops/s",
        SlaMetric.StorePercentile or SlaMetric.StoreMax => StoreUnit ?? "",
        SlaMetric.StoreRate => (StoreUnit ?? "") + "/s",
        SlaMetric.HitRatio => "",
        SlaMetric.Recovery => "s",
        _ => TargetIsRatio ? "%" : "ops",
    };

    public string MetricName => Metric switch
    {
        SlaMetric.Percentile => string.Create(CultureInfo.InvariantCulture, $"p({Percentile})"),
        SlaMetric.StorePercentile => string.Create(CultureInfo.InvariantCulture, $"{StoreMetric}.p({Percentile})"),
        SlaMetric.StoreMax => $"{StoreMetric}.max",
        SlaMetric.StoreRate => $"{StoreMetric}_per_s",
        SlaMetric.ErrorKind => ErrorKindName!,
        SlaMetric.HitRatio => "hit_ratio",
        SlaMetric.Recovery => "recovery",
        _ => Metric.ToString().ToLowerInvariant(),
    };

    /// <summary>
    /// Parses a threshold whose prefix may be a name with dots (a flow's step: <c>feature-serving.cache.p(99) &lt; 1ms</c>):
    /// the longest of <paramref name="dottedOperations"/> that starts the text is the operation, and the rest is parsed as usual.
    /// </summary>
    public static bool TryParse(string text, IEnumerable<string> dottedOperations, out SlaThreshold threshold, out string? problem)
    {
        var trimmed = text.TrimStart();
        if (Results.Phases.All.FirstOrDefault(p => trimmed.StartsWith(p + ".", StringComparison.Ordinal)) is { } phase)
        {
            // A phase, then what the whole window would take: 'during.serving.cache.p(99) < 5ms'.
            if (!TryParse(trimmed[(phase.Length + 1)..], dottedOperations, out threshold, out problem))
            {
                return false;
            }

            if (threshold.Phase is not null || threshold.Metric is SlaMetric.Recovery or SlaMetric.Dropped)
            {
                problem = $"'{text}': a phase takes latency, throughput, errors and store metrics, e.g. 'during.errors < 5%'";
                return false;
            }

            threshold = threshold with { Text = text, Phase = phase };
            return true;
        }

        var operation = dottedOperations.Where(n => trimmed.StartsWith(n + ".", StringComparison.Ordinal)).MaxBy(n => n.Length);
        if (operation is null)
        {
            if (ParseWindow(text, out threshold, out problem))
            {
                return true;
            }

            // A flow's name, then something that is not one of its steps: say that, not what the rest failed to be.
            var flows = dottedOperations.Select(n => n[..n.IndexOf('.', StringComparison.Ordinal)]).Distinct();
            if (flows.FirstOrDefault(f => trimmed.StartsWith(f + ".", StringComparison.Ordinal)) is { } flow)
            {
                var step = trimmed[(flow.Length + 1)..].Split('.', 2)[0];
                problem = $"'{flow}.{step}' is not a step of flow '{flow}': its steps are {string.Join(", ", dottedOperations.Where(n => n.StartsWith(flow + ".", StringComparison.Ordinal)))}";
            }

            return false;
        }

        if (!ParseWindow(trimmed[(operation.Length + 1)..], out threshold, out problem))
        {
            return false;
        }

        if (threshold.Operation is { } inner)
        {
            problem = $"'{text}': '{operation}' is a step, and '{inner}' after it is neither a store metric nor a measure";
            return false;
        }

        threshold = threshold with { Text = text, Operation = operation };
        return true;
    }

    /// <summary>Parses a threshold of a scenario whose operations have no dots in their names (no flows).</summary>
    public static bool TryParse(string text, out SlaThreshold threshold, out string? problem) => TryParse(text, [], out threshold, out problem);

    /// <summary>A threshold without a phase prefix, and with an operation prefix that has no dots.</summary>
    private static bool ParseWindow(string text, out SlaThreshold threshold, out string? problem)
    {
        threshold = null!;
        problem = null;
        if (RecoveryPattern().Match(text) is { Success: true } recovery)
        {
            if (!Units.TryParseDuration(recovery.Groups["value"].Value, out var limit))
            {
                problem = $"'{recovery.Groups["value"].Value}' in '{text}' is not a duration ({Units.DurationHint})";
                return false;
            }

            var less = recovery.Groups["cmp"].Value == "<" ? Comparison.Less : Comparison.LessOrEqual;
            threshold = new SlaThreshold(text, null, SlaMetric.Recovery, 0, less, limit.TotalSeconds, false);
            return true;
        }

        var m = Pattern().Match(text);
        if (!m.Success)
        {
            problem = $"'{text}' is not a threshold";
            return false;
        }

        var op = m.Groups["op"].Success ? m.Groups["op"].Value : null;
        var storeMetric = m.Groups["sm"].Success ? m.Groups["sm"].Value : null;
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
        var plainNumber = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number);

        // One prefix is an operation when the target is a duration, a store metric when it is a plain number (ru.p(99) < 5).
        if (storeMetric is null && op is not null && plainNumber && (metricText == "max" || metricText.StartsWith("p(", StringComparison.Ordinal)))
        {
            (op, storeMetric) = (null, op);
        }

        if (m.Groups["rate"].Success)
        {
            if (storeMetric is not null)
            {
                (op, storeMetric) = (storeMetric, null);
            }

            var perSecond = value.EndsWith("/s", StringComparison.Ordinal) ? value[..^2] : value;
            if (!double.TryParse(perSecond, NumberStyles.Float, CultureInfo.InvariantCulture, out var rateTarget) || rateTarget < 0)
            {
                problem = $"'{value}' in '{text}' is not a number per second";
                return false;
            }

            threshold = new SlaThreshold(text, op, SlaMetric.StoreRate, 0, cmp, rateTarget, false) { StoreMetric = m.Groups["rate"].Value };
            return true;
        }

        if (m.Groups["kind"].Success)
        {
            if (storeMetric is not null)
            {
                problem = $"'{text}' has two prefixes; an error kind takes at most an operation: 'read.throttled < 0.5%'";
                return false;
            }

            if (!ParseCountOrRatio(text, value, out var kindTarget, out var kindRatio, out problem))
            {
                return false;
            }

            threshold = new SlaThreshold(text, op, SlaMetric.ErrorKind, 0, cmp, kindTarget, kindRatio) { ErrorKindName = m.Groups["kind"].Value };
            return true;
        }

        if (storeMetric is not null && !(metricText == "max" || metricText.StartsWith("p(", StringComparison.Ordinal)))
        {
            problem = $"'{text}': a store metric takes p(N), max or _per_s, e.g. '{storeMetric}.p(99) < 5' or '{storeMetric}_per_s >= 1000'";
            return false;
        }

        if (metricText.StartsWith("p(", StringComparison.Ordinal))
        {
            if (!double.TryParse(m.Groups["p"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var p) || p <= 0 || p > 100)
            {
                problem = $"percentile '{m.Groups["p"].Value}' in '{text}' is not in (0, 100]";
                return false;
            }

            return storeMetric is not null
                ? StoreValue(text, op, storeMetric, SlaMetric.StorePercentile, p, cmp, value, out threshold, out problem)
                : Latency(text, op, SlaMetric.Percentile, p, cmp, value, out threshold, out problem);
        }

        switch (metricText)
        {
            case "hit_ratio":
                if (storeMetric is not null)
                {
                    problem = $"'{text}' has two prefixes; a hit ratio belongs to a flow: 'feature-serving.hit_ratio >= 0.9'";
                    return false;
                }

                var ratioText = value.EndsWith('%') ? value[..^1] : value;
                if (!double.TryParse(ratioText, NumberStyles.Float, CultureInfo.InvariantCulture, out var ratio) || ratio < 0
                    || (value.EndsWith('%') ? ratio > 100 : ratio > 1))
                {
                    problem = $"'{value}' in '{text}' is not a ratio: write a fraction from 0 to 1 or a percentage";
                    return false;
                }

                threshold = new SlaThreshold(text, op, SlaMetric.HitRatio, 0, cmp, value.EndsWith('%') ? ratio / 100 : ratio, false);
                return true;
            case "max":
                return storeMetric is not null
                    ? StoreValue(text, op, storeMetric, SlaMetric.StoreMax, 100, cmp, value, out threshold, out problem)
                    : Latency(text, op, SlaMetric.Max, 100, cmp, value, out threshold, out problem);
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

                if (!ParseCountOrRatio(text, value, out var target, out var isRatio, out problem))
                {
                    return false;
                }

                threshold = new SlaThreshold(text, op, metric, 0, cmp, target, isRatio);
                return true;
        }
    }

    private static bool ParseCountOrRatio(string text, string value, out double target, out bool isRatio, out string? problem)
    {
        problem = null;
        isRatio = value.EndsWith('%');
        var number = isRatio ? value[..^1] : value;
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out target) || target < 0 || (isRatio && target > 100))
        {
            problem = $"'{value}' in '{text}' is not a count or a percentage from 0% to 100%";
            return false;
        }

        return true;
    }

    private static bool StoreValue(string text, string? op, string storeMetric, SlaMetric metric, double p, Comparison cmp, string value, out SlaThreshold threshold, out string? problem)
    {
        threshold = null!;
        problem = null;
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var target))
        {
            problem = $"'{value}' in '{text}' is not a number in {storeMetric}'s unit";
            return false;
        }

        threshold = new SlaThreshold(text, op, metric, p, cmp, target, false) { StoreMetric = storeMetric };
        return true;
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
