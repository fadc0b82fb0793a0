using Benchmarks.Core.Workload;

namespace Benchmarks.Core.Stores;

/// <summary>
/// A value a store reports per operation besides its latency: Cosmos DB's request charge, the rows an
/// analytical query returned. Recorded into an HdrHistogram of <c>value × 10^Decimals</c> (so 5.71 RU
/// with two decimals is 571) and summed; SLAs name it (<c>ru.p(99) &lt; 5</c>, <c>source_rows_per_s &gt;= 1000000</c>).
/// </summary>
/// <remarks>A rate (rows per second of one query) is not <see cref="Additive"/>: its total and per-second sum mean nothing and are not reported.</remarks>
public sealed record StoreMetric(string Name, string Unit, string Description, int Decimals = 0, bool Additive = true)
{
    /// <summary>The name of a request-charge metric: stores that report it are sized in RU/s (Cosmos DB).</summary>
    public const string RequestUnits = "ru";
}

/// <summary>A driver whose operations report <see cref="StoreMetric"/>s.</summary>
public interface IReportsStoreMetrics
{
    IReadOnlyList<StoreMetric> Metrics { get; }
}

/// <summary>
/// What one operation measured: values keyed by the driver's declared <see cref="StoreMetric"/>s (at most
/// <see cref="Capacity"/>), set with <see cref="With"/> and read by metric, so a driver's metrics are named
/// once, in their declaration, and never matched by position. A struct, so reporting allocates nothing.
/// </summary>
public readonly struct OperationMeasures
{
    public const int Capacity = 4;

    private readonly Slots _metrics;
    private readonly Values _values;
    private readonly int _count;

    private OperationMeasures(in Slots metrics, in Values values, int count)
    {
        _metrics = metrics;
        _values = values;
        _count = count;
    }

    /// <summary>Nothing measured.</summary>
    public static OperationMeasures None => default;

    /// <summary>These measures and <paramref name="metric"/> = <paramref name="value"/> (NaN: not measured; a metric set twice keeps the last).</summary>
    public OperationMeasures With(StoreMetric metric, double value)
    {
        var metrics = _metrics;
        var values = _values;
        var at = IndexOf(metric);
        if (at < 0)
        {
            if (_count == Capacity)
            {
                throw new InvalidOperationException($"an operation reports at most {Capacity} store metrics; '{metric.Name}' is one more");
            }

            at = _count;
            metrics[at] = metric;
        }

        values[at] = value;
        return new OperationMeasures(metrics, values, Math.Max(_count, at + 1));
    }

    /// <summary>The value of <paramref name="metric"/>; NaN when the operation did not measure it.</summary>
    public double this[StoreMetric metric] => IndexOf(metric) is var at && at >= 0 ? _values[at] : double.NaN;

    private int IndexOf(StoreMetric metric)
    {
        for (var i = 0; i < _count; i++)
        {
            // The same declared instance, or one of the same name (a test's or another build's declaration).
            if (ReferenceEquals(_metrics[i], metric) || string.Equals(_metrics[i]!.Name, metric.Name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    [System.Runtime.CompilerServices.InlineArray(Capacity)]
    private struct Slots
    {
        private StoreMetric? _first;
    }

    [System.Runtime.CompilerServices.InlineArray(Capacity)]
    private struct Values
    {
        private double _first;
    }
}

/// <summary>An operation that returns its <see cref="OperationMeasures"/>; the runner records them for measured operations.</summary>
public interface IMeasuringOperation : IStoreOperation
{
    ValueTask<OperationMeasures> ExecuteMeasuredAsync(OperationRandom random, long sequence, CancellationToken cancellationToken);
}

/// <summary>
/// A failed operation that still measured something (a throttled Cosmos request is charged and says
/// how long to wait). The runner records the measures, then classifies <see cref="Exception.InnerException"/>.
/// </summary>
public sealed class MeasuredOperationException : Exception
{
    public MeasuredOperationException() { }

    public MeasuredOperationException(string message) : base(message) { }

    public MeasuredOperationException(string message, Exception inner) : base(message, inner) { }

    public MeasuredOperationException(Exception inner, OperationMeasures measures) : base(inner.Message, inner) => Measures = measures;

    public OperationMeasures Measures { get; } = OperationMeasures.None;
}
