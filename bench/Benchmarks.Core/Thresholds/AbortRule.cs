using System.Globalization;
using Benchmarks.Core.Parsing;
using HdrHistogram;

namespace Benchmarks.Core.Thresholds;

/// <summary>
/// A rule that stops a run going badly: a condition in threshold syntax that, once it has held in every
/// one-second interval for <see cref="For"/>, aborts the run (<c>errors &gt; 5% for 10s</c>,
/// <c>get.p(99) &gt; 50ms for 30s</c>). The condition names the bad state: the rule fires when it holds.
/// </summary>
public sealed record AbortRule(string Text, SlaThreshold Condition, int Seconds)
{
    public const string Hint = "write a condition and how long it must hold, e.g. 'errors > 5% for 10s', 'p(99) > 50ms for 30s', 'get.max > 1s for 5s'";

    public TimeSpan For => TimeSpan.FromSeconds(Seconds);

    public static bool TryParse(string text, out AbortRule rule, out string? problem)
    {
        rule = null!;
        var at = text.LastIndexOf(" for ", StringComparison.Ordinal);
        if (at < 0)
        {
            problem = $"'{text}' says what but not for how long";
            return false;
        }

        if (!Units.TryParseDuration(text[(at + 5)..], out var duration) || duration < TimeSpan.FromSeconds(1))
        {
            problem = $"'{text[(at + 5)..].Trim()}' in '{text}' is not a duration of a second or more";
            return false;
        }

        if (!SlaThreshold.TryParse(text[..at], out var condition, out problem))
        {
            return false;
        }

        if (condition.Metric is not (SlaMetric.Percentile or SlaMetric.Max or SlaMetric.Errors) || condition.Phase is not null)
        {
            problem = $"'{text}': an abort rule watches latency (p(N), max) or errors, second by second";
            return false;
        }

        rule = new AbortRule(text.Trim(), condition, (int)Math.Ceiling(duration.TotalSeconds));
        return true;
    }

    /// <summary>The condition's value in one interval: ms for latency, errors (count or % of attempts) for errors; NaN when the interval holds nothing to judge.</summary>
    public double ValueOf(HistogramBase corrected, long errors)
    {
        var attempts = corrected.TotalCount + errors;
        return Condition.Metric switch
        {
            SlaMetric.Percentile => corrected.TotalCount > 0 ? corrected.GetValueAtPercentile(Condition.Percentile) / 1000.0 : double.NaN,
            SlaMetric.Max => corrected.TotalCount > 0 ? corrected.GetMaxValue() / 1000.0 : double.NaN,
            _ => Condition.TargetIsRatio ? (attempts > 0 ? 100.0 * errors / attempts : double.NaN) : errors,
        };
    }

    public string Describe(double value) => string.Create(CultureInfo.InvariantCulture, $"{value:0.###} {Condition.Unit}");
}

/// <summary>
/// Judges abort rules once a second, on the interval just taken. A rule fires when its condition has held
/// in each of the last <see cref="AbortRule.Seconds"/> intervals; a second with nothing to judge (no
/// completed operation for a latency rule) breaks the streak. Memory is a counter per rule.
/// </summary>
public sealed class AbortWatch(IReadOnlyList<AbortRule> rules)
{
    private readonly int[] _streaks = new int[rules.Count];

    /// <summary>Why the run was aborted; null while no rule has fired.</summary>
    public string? Fired { get; private set; }

    /// <summary>
    /// One interval: <paramref name="interval"/> gives an operation's (or "total"'s) corrected histogram and
    /// errors for the interval. Returns true the first time a rule fires.
    /// </summary>
    public bool Observe(double endSeconds, Func<string, (HistogramBase Corrected, long Errors)?> interval)
    {
        if (Fired is not null)
        {
            return false;
        }

        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            var value = interval(rule.Condition.Operation ?? "total") is { } data ? rule.ValueOf(data.Corrected, data.Errors) : double.NaN;
            _streaks[i] = !double.IsNaN(value) && rule.Condition.Holds(value) ? _streaks[i] + 1 : 0;
            if (_streaks[i] >= rule.Seconds)
            {
                Fired = string.Create(CultureInfo.InvariantCulture,
                    $"abort rule '{rule.Text}' fired {endSeconds:0.#} s into the measured window: the condition held in each of the last {rule.Seconds} s (the last second: {rule.Describe(value)})");
                return true;
            }
        }

        return false;
    }
}
