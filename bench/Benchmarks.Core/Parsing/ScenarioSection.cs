using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Benchmarks.Core.Parsing;

/// <summary>
/// A mapping of a scenario file with typed, position-aware getters. Every getter records what it was
/// asked for, so <see cref="Complete"/> can report the keys nobody asked for as unknown: strictness
/// comes from one place for the core and for every store driver.
/// </summary>
public sealed class ScenarioSection
{
    private readonly YamlMappingNode _node;
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);
    private readonly HashSet<string> _repeatedReported = new(StringComparer.Ordinal);

    public ScenarioSection(YamlMappingNode node, string source, string path, ScenarioErrors errors)
    {
        _node = node;
        Source = source;
        Path = path;
        Errors = errors;
    }

    public string Source { get; }

    public string Path { get; }

    public ScenarioErrors Errors { get; }

    public SourceLocation Location => At(_node);

    public SourceLocation At(YamlNode node) =>
        Errors.Overrides.TryGetValue(node, out var setting) ? SourceLocation.CommandLine($"--set {setting}")
        : node.Start.Line > 0 ? new SourceLocation(Source, (int)node.Start.Line, (int)node.Start.Column) : new SourceLocation(Source, 0, 0);

    public SourceLocation LocationOf(string key) => TryGetNode(key, out var n) ? At(n) : Location;

    public bool Has(string key)
    {
        _known.Add(key);
        return _node.Children.ContainsKey(new YamlScalarNode(key));
    }

    public bool TryGetNode(string key, out YamlNode node)
    {
        _known.Add(key);
        return _node.Children.TryGetValue(new YamlScalarNode(key), out node!);
    }

    public void Fail(string key, string message, string? hint = null) => Errors.Add(LocationOf(key), $"{Qualified(key)}: {message}", hint);

    public string Qualified(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    public string? GetString(string key, string? fallback = null, bool required = false)
    {
        if (!TryGetNode(key, out var node))
        {
            if (required)
            {
                Errors.Add(Location, $"{Qualified(key)} is required", $"add '{key}:' to {(Path.Length == 0 ? "the top level" : Path)}");
            }

            return fallback;
        }

        if (node is YamlScalarNode scalar)
        {
            return scalar.Value ?? fallback;
        }

        Errors.Add(At(node), $"{Qualified(key)} must be a single value, not a {(node is YamlMappingNode ? "mapping" : "list")}");
        return fallback;
    }

    public long GetInteger(string key, long fallback, long min = long.MinValue, long max = long.MaxValue, bool required = false)
    {
        var text = GetString(key, required: required);
        if (text is null)
        {
            return fallback;
        }

        var cleaned = text.Replace("_", "", StringComparison.Ordinal);
        if (!long.TryParse(cleaned, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            Fail(key, $"'{text}' is not a whole number", "write digits only, e.g. 100000 or 100_000");
            return fallback;
        }

        if (value < min || value > max)
        {
            Fail(key, $"{value} is out of range", Range(min, max));
            return fallback;
        }

        return value;
    }

    public double GetNumber(string key, double fallback, double min = double.MinValue, double max = double.MaxValue)
    {
        var text = GetString(key);
        if (text is null)
        {
            return fallback;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            Fail(key, $"'{text}' is not a number");
            return fallback;
        }

        if (value < min || value > max)
        {
            Fail(key, $"{value.ToString(CultureInfo.InvariantCulture)} is out of range", Range(min, max));
            return fallback;
        }

        return value;
    }

    public bool GetBool(string key, bool fallback)
    {
        var text = GetString(key);
        if (text is null)
        {
            return fallback;
        }

        switch (text.ToUpperInvariant())
        {
            case "TRUE" or "YES" or "ON": return true;
            case "FALSE" or "NO" or "OFF": return false;
            default:
                Fail(key, $"'{text}' is not true or false");
                return fallback;
        }
    }

    public TimeSpan GetDuration(string key, TimeSpan fallback, TimeSpan? min = null, bool required = false)
    {
        var text = GetString(key, required: required);
        if (text is null)
        {
            return fallback;
        }

        if (!Units.TryParseDuration(text, out var value))
        {
            Fail(key, $"'{text}' is not a duration", Units.DurationHint);
            return fallback;
        }

        if (min is { } lower && value < lower)
        {
            Fail(key, $"{text} is too short", $"use at least {Units.FormatDuration(lower)}");
            return fallback;
        }

        return value;
    }

    /// <summary>A size in bytes (64KB, 16MB, 2GB) within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public long GetSize(string key, long fallback, long min = 1, long max = long.MaxValue)
    {
        var text = GetString(key);
        if (text is null)
        {
            return fallback;
        }

        if (!Units.TryParseSize(text, out var bytes))
        {
            Fail(key, $"'{text}' is not a size", Units.SizeHint);
            return fallback;
        }

        if (bytes < min || bytes > max)
        {
            Fail(key, string.Create(CultureInfo.InvariantCulture, $"{text} is outside {min:N0}..{max:N0} bytes"), Units.SizeHint);
            return fallback;
        }

        return bytes;
    }

    public double GetRate(string key, double fallback, bool required = false)
    {
        var text = GetString(key, required: required);
        if (text is null)
        {
            return fallback;
        }

        if (text.TrimStart().StartsWith('-'))
        {
            Fail(key, $"rate '{text}' is negative", "a rate is a positive number of operations per second, e.g. 5000/s");
            return fallback;
        }

        if (!Units.TryParseRate(text, out var rate))
        {
            Fail(key, $"'{text}' is not a rate", Units.RateHint);
            return fallback;
        }

        if (rate <= 0)
        {
            Fail(key, "a rate of zero never starts an operation", "use a positive rate, e.g. 1/s");
            return fallback;
        }

        return rate;
    }

    public T GetChoice<T>(string key, T fallback, IReadOnlyDictionary<string, T> choices, bool required = false)
    {
        var text = GetString(key, required: required);
        if (text is null)
        {
            return fallback;
        }

        if (choices.TryGetValue(text, out var value))
        {
            return value;
        }

        Fail(key, $"'{text}' is not one of: {string.Join(", ", choices.Keys)}", Suggest(text, choices.Keys));
        return fallback;
    }

    public ScenarioSection? GetSection(string key, bool required = false)
    {
        if (!TryGetNode(key, out var node))
        {
            if (required)
            {
                Errors.Add(Location, $"{Qualified(key)} is required", $"add a '{key}:' mapping");
            }

            return null;
        }

        if (node is YamlMappingNode mapping)
        {
            return new ScenarioSection(mapping, Source, Qualified(key), Errors);
        }

        Errors.Add(At(node), $"{Qualified(key)} must be a mapping (key: value pairs)");
        return null;
    }

    /// <summary>The entries of a list of strings (sla:, abortOn:) with their nodes, for located errors; an entry that is not a string is reported and left out.</summary>
    public IEnumerable<(string Text, YamlNode Node)> GetStrings(string key, string notAString, string hint)
    {
        foreach (var item in GetList(key) ?? [])
        {
            if (item is YamlScalarNode { Value: { } text })
            {
                yield return (text, item);
            }
            else
            {
                Errors.Add(At(item), notAString, hint);
            }
        }
    }

    public IReadOnlyList<YamlNode>? GetList(string key, bool required = false)
    {
        if (!TryGetNode(key, out var node))
        {
            if (required)
            {
                Errors.Add(Location, $"{Qualified(key)} is required", $"add a '{key}:' list");
            }

            return null;
        }

        if (node is YamlSequenceNode seq)
        {
            return seq.Children.ToList();
        }

        Errors.Add(At(node), $"{Qualified(key)} must be a list");
        return null;
    }

    /// <summary>The keys of a free-form mapping (names the user chooses, such as SQL parameter names); all count as known.</summary>
    public IReadOnlyList<string> Keys()
    {
        var keys = new List<string>();
        foreach (var key in _node.Children.Keys.OfType<YamlScalarNode>())
        {
            var name = key.Value ?? "";
            // The same name under another tag (`!!str a:` beside `a:`) is another key to YAML, not to a scenario.
            if (keys.Contains(name))
            {
                if (_repeatedReported.Add(name))
                {
                    Errors.Add(At(key), $"{Qualified(name)} is given twice", "keep one of them");
                }

                continue;
            }

            keys.Add(name);
        }

        _known.UnionWith(keys);
        return keys;
    }

    public ScenarioSection ItemSection(YamlMappingNode node, string path) => new(node, Source, path, Errors);

    /// <summary>
    /// The entries of a list of mappings (<c>workload.mix</c>, <c>load.stages</c>), each as its own section.
    /// An empty list and an entry that is not a mapping are reported, with <paramref name="example"/> as the fix.
    /// </summary>
    public IReadOnlyList<ScenarioSection> GetMappings(string key, string emptyMessage, string emptyHint, string example)
    {
        var items = GetList(key, required: true);
        if (items is { Count: 0 })
        {
            Fail(key, emptyMessage, emptyHint);
        }

        var sections = new List<ScenarioSection>();
        for (var i = 0; i < (items?.Count ?? 0); i++)
        {
            if (items![i] is YamlMappingNode node)
            {
                sections.Add(ItemSection(node, $"{Qualified(key)}[{i}]"));
            }
            else
            {
                Errors.Add(At(items[i]), $"{Qualified(key)}[{i}] must be a mapping", $"write - {example}");
            }
        }

        return sections;
    }

    /// <summary>A percentage strictly between 0 and 100, written with its sign (<c>5%</c>).</summary>
    public double GetPercent(string key, double fallback)
    {
        var text = GetString(key);
        if (text is null)
        {
            return fallback;
        }

        if (Thresholds.GateTolerances.TryParsePercent(text, out var percent) && percent > 0 && percent < 100)
        {
            return percent;
        }

        Fail(key, $"'{text}' is not a percentage between 0 and 100", "write e.g. 5%");
        return fallback;
    }

    /// <summary>Reports every key present that no getter asked for.</summary>
    public void Complete()
    {
        foreach (var (k, v) in _node.Children)
        {
            var name = (k as YamlScalarNode)?.Value ?? "?";
            if (!_known.Contains(name))
            {
                Errors.Add(At(k), $"unknown key '{Qualified(name)}'",
                    Suggest(name, _known) ?? $"allowed here: {string.Join(", ", _known.Order(StringComparer.Ordinal))}");
            }
        }
    }

    /// <summary>A did-you-mean hint from the nearest allowed word, when one is close enough.</summary>
    public static string? Suggest(string given, IEnumerable<string> allowed)
    {
        var best = allowed.Select(a => (a, d: Distance(given.ToUpperInvariant(), a.ToUpperInvariant())))
            .OrderBy(x => x.d).FirstOrDefault();
        return best.a is not null && best.d <= Math.Max(2, given.Length / 3) ? $"did you mean '{best.a}'?" : null;
    }

    private static string Range(double min, double max) =>
        (min, max) switch
        {
            ( <= long.MinValue, _) => $"use at most {max.ToString(CultureInfo.InvariantCulture)}",
            (_, >= long.MaxValue) => $"use at least {min.ToString(CultureInfo.InvariantCulture)}",
            _ => $"use a value from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}",
        };

    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
            }
        }

        return d[a.Length, b.Length];
    }
}
