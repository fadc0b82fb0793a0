using System.Globalization;
using System.Text.RegularExpressions;

namespace Benchmarks.Core.Workload;

/// <summary>Chooses which key of the data set an operation touches.</summary>
public interface IKeyDistribution
{
    /// <summary>A key index in [0, keys).</summary>
    long Next(ref OperationRandom random, long sequence);
}

public enum KeyDistributionKind
{
    Uniform,
    Zipfian,
    Hotspot,
    Sequential,
    Latest,
}

/// <summary>The parsed form of <c>uniform</c>, <c>zipfian(0.99)</c>, <c>hotspot(0.2, 0.8)</c>, <c>sequential</c>, <c>latest(0.99)</c>.</summary>
public sealed partial record KeyDistributionDefinition(KeyDistributionKind Kind, double Theta = 0.99, double HotFraction = 0.2, double HotProbability = 0.8)
{
    public const string Hint = "use uniform, zipfian(θ) with 0 < θ < 1, hotspot(fraction, probability), sequential or latest(θ)";

    [GeneratedRegex(@"^\s*(?<name>[a-z]+)\s*(\(\s*(?<args>[^)]*)\))?\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static bool TryParse(string text, out KeyDistributionDefinition definition, out string? problem)
    {
        definition = new KeyDistributionDefinition(KeyDistributionKind.Uniform);
        problem = null;
        var m = Pattern().Match(text);
        if (!m.Success)
        {
            problem = $"'{text}' is not a key distribution";
            return false;
        }

        var args = m.Groups["args"].Success
            ? m.Groups["args"].Value.Split(',', StringSplitOptions.TrimEntries)
            : [];
        var numbers = new double[args.Length];
        for (var i = 0; i < args.Length; i++)
        {
            if (!double.TryParse(args[i], NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[i]))
            {
                problem = $"'{args[i]}' in '{text}' is not a number";
                return false;
            }
        }

        switch (m.Groups["name"].Value, numbers.Length)
        {
            case ("uniform", 0): definition = new(KeyDistributionKind.Uniform); return true;
            case ("sequential", 0): definition = new(KeyDistributionKind.Sequential); return true;
            case ("zipfian" or "latest", 0 or 1):
                var theta = numbers.Length == 1 ? numbers[0] : 0.99;
                if (theta is <= 0 or >= 1)
                {
                    problem = $"θ = {theta.ToString(CultureInfo.InvariantCulture)} is outside (0, 1)";
                    return false;
                }

                definition = new(m.Groups["name"].Value == "zipfian" ? KeyDistributionKind.Zipfian : KeyDistributionKind.Latest, theta);
                return true;
            case ("hotspot", 2):
                if (numbers[0] is <= 0 or >= 1 || numbers[1] is < 0 or > 1)
                {
                    problem = "hotspot(fraction, probability) needs 0 < fraction < 1 and 0 ≤ probability ≤ 1";
                    return false;
                }

                definition = new(KeyDistributionKind.Hotspot, HotFraction: numbers[0], HotProbability: numbers[1]);
                return true;
            default:
                problem = $"'{text}' is not a key distribution with that many arguments";
                return false;
        }
    }

    public IKeyDistribution Create(long keys) => Kind switch
    {
        KeyDistributionKind.Uniform => new UniformKeys(keys),
        KeyDistributionKind.Zipfian => new ZipfianKeys(keys, Theta),
        KeyDistributionKind.Latest => new LatestKeys(keys, Theta),
        KeyDistributionKind.Hotspot => new HotspotKeys(keys, HotFraction, HotProbability),
        _ => new SequentialKeys(keys),
    };

    public override string ToString() => Kind switch
    {
        KeyDistributionKind.Zipfian => string.Create(CultureInfo.InvariantCulture, $"zipfian({Theta})"),
        KeyDistributionKind.Latest => string.Create(CultureInfo.InvariantCulture, $"latest({Theta})"),
        KeyDistributionKind.Hotspot => string.Create(CultureInfo.InvariantCulture, $"hotspot({HotFraction}, {HotProbability})"),
        _ => Kind.ToString().ToLowerInvariant(),
    };
}

public sealed class UniformKeys(long keys) : IKeyDistribution
{
    public long Next(ref OperationRandom random, long sequence) => random.NextLong(keys);
}

public sealed class SequentialKeys(long keys) : IKeyDistribution
{
    public long Next(ref OperationRandom random, long sequence) => sequence % keys;
}

/// <summary>
/// Gray et al.'s zipfian generator as YCSB uses it: rank 0 is the hottest key. One uniform draw per
/// sample after an O(n) zeta sum at construction.
/// </summary>
public sealed class ZipfianKeys : IKeyDistribution
{
    private readonly long _items;
    private readonly double _zetaN;
    private readonly double _alpha;
    private readonly double _eta;
    private readonly double _halfPowTheta;

    public ZipfianKeys(long items, double theta)
    {
        _items = items;
        _zetaN = Zeta(items, theta);
        var zeta2 = Zeta(2, theta);
        _alpha = 1.0 / (1.0 - theta);
        _eta = (1 - Math.Pow(2.0 / items, 1 - theta)) / (1 - (zeta2 / _zetaN));
        _halfPowTheta = 1 + Math.Pow(0.5, theta);
    }

    public long Next(ref OperationRandom random, long sequence) => Rank(random.NextDouble());

    public long Rank(double u)
    {
        var uz = u * _zetaN;
        if (uz < 1.0)
        {
            return 0;
        }

        if (uz < _halfPowTheta)
        {
            return Math.Min(1, _items - 1);
        }

        var rank = (long)(_items * Math.Pow((_eta * u) - _eta + 1, _alpha));
        return Math.Min(rank, _items - 1);
    }

    /// <summary>The probability of rank 0, for tests and for the planner's hot-key estimate.</summary>
    public double ProbabilityOfHottest => 1.0 / _zetaN;

    private static double Zeta(long n, double theta)
    {
        var sum = 0.0;
        for (long i = 1; i <= n; i++)
        {
            sum += 1.0 / Math.Pow(i, theta);
        }

        return sum;
    }
}

/// <summary>YCSB's "latest": zipfian over recency, so the newest keys (highest index) are the hottest.</summary>
public sealed class LatestKeys(long keys, double theta) : IKeyDistribution
{
    private readonly ZipfianKeys _zipf = new(keys, theta);

    public long Next(ref OperationRandom random, long sequence) => keys - 1 - _zipf.Next(ref random, sequence);
}

/// <summary>A hot set of the first <c>fraction</c> of keys receives <c>probability</c> of the accesses.</summary>
public sealed class HotspotKeys : IKeyDistribution
{
    private readonly long _keys;
    private readonly long _hot;
    private readonly double _probability;

    public HotspotKeys(long keys, double fraction, double probability)
    {
        _keys = keys;
        _hot = Math.Clamp((long)(keys * fraction), 1, Math.Max(1, keys - 1));
        _probability = probability;
    }

    public long Next(ref OperationRandom random, long sequence) =>
        random.NextDouble() < _probability || _hot >= _keys
            ? random.NextLong(_hot)
            : _hot + random.NextLong(_keys - _hot);
}
