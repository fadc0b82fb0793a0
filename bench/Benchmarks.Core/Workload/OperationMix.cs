namespace Benchmarks.Core.Workload;

/// <summary>Weighted choice of the next operation from a cumulative table.</summary>
public sealed class OperationMix
{
    private readonly double[] _cumulative;

    public OperationMix(IReadOnlyList<double> weights)
    {
        ArgumentOutOfRangeException.ThrowIfZero(weights.Count);
        _cumulative = new double[weights.Count];
        var total = weights.Sum();
        var sum = 0.0;
        for (var i = 0; i < weights.Count; i++)
        {
            sum += weights[i] / total;
            _cumulative[i] = sum;
        }

        _cumulative[^1] = 1.0;
    }

    public int Count => _cumulative.Length;

    public int Pick(ref OperationRandom random)
    {
        if (_cumulative.Length == 1)
        {
            return 0;
        }

        var u = random.NextDouble();
        for (var i = 0; i < _cumulative.Length; i++)
        {
            if (u < _cumulative[i])
            {
                return i;
            }
        }

        return _cumulative.Length - 1;
    }
}
