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
/// What one operation measured, by index into its driver's <see cref="IReportsStoreMetrics.Metrics"/>
/// (up to four; NaN where the operation has no value). A struct, so reporting allocates nothing.
/// </summary>
public readonly record struct OperationMeasures(double First, double Second = double.NaN, double Third = double.NaN, double Fourth = double.NaN)
{
    public const int Capacity = 4;

    public double this[int index] => index switch
    {
        0 => First,
        1 => Second,
        2 => Third,
        3 => Fourth,
        _ => double.NaN,
    };
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

    public OperationMeasures Measures { get; } = new(double.NaN);
}
