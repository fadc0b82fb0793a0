using System.Diagnostics;
using Benchmarks.Core.Stores;
using Benchmarks.Core.Workload;

namespace Benchmarks.Stores.Analytics;

/// <summary>
/// Analytical queries as operations: each run of the training-data query (or a user's statement) is one
/// operation, timed like any other, and reports the size of the data it reads (an input, from the
/// Parquet metadata), the rows it returned (measured) and how fast it read the data set through.
/// </summary>
internal sealed class AnalyticsDriver(AnalyticsSettings settings, IAnalyticsEngine engine) : IStoreDriver, IPreloadingDriver
{
    public Task<StoreInfo> ConnectAsync(CancellationToken cancellationToken) => engine.StartAsync(cancellationToken);

    public Task PreloadAsync(WorkloadContext workload, DataDefinition data, IProgress<long> progress, CancellationToken cancellationToken) =>
        engine.PrepareDataAsync(progress, cancellationToken);

    public (long Count, string Description) DescribePreload(DataDefinition data) =>
        (settings.Events.Rows, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{settings.Events.Rows:N0} events as Parquet in {settings.DataFolder} (kept when it already holds them)"));

    public IStoreOperation CreateOperation(OperationDefinition operation, WorkloadContext workload)
    {
        var op = operation.SettingsOf<AnalyticsOperationSettings>();
        var count = op.Result == QueryResultMode.Count;
        var statement = operation.Operation == AnalyticsDriverFactory.TrainingData ? engine.TrainingData(op.WindowDays, count)
            : count ? Queries.TrainingDataQuery.CountOf(op.Statement!) : op.Statement!;
        return new Query(engine, statement, count, operation.Operation == AnalyticsDriverFactory.TrainingData);
    }

    public ErrorKind Classify(Exception error) => engine.Classify(error);

    public ValueTask DisposeAsync() => engine.DisposeAsync();

    /// <summary>One query; measures: rows in the source, rows returned, source rows per second of this query.</summary>
    private sealed class Query(IAnalyticsEngine engine, string statement, bool isCount, bool scansSource) : IMeasuringOperation
    {
        public async ValueTask ExecuteAsync(OperationRandom random, long sequence, CancellationToken cancellationToken) =>
            await ExecuteMeasuredAsync(random, sequence, cancellationToken);

        public async ValueTask<OperationMeasures> ExecuteMeasuredAsync(OperationRandom random, long sequence, CancellationToken cancellationToken)
        {
            var clock = Stopwatch.StartNew();
            var returned = await engine.RunAsync(statement, isCount, cancellationToken);
            var seconds = clock.Elapsed.TotalSeconds;
            // A user's own statement may read anything: its scan is not known.
            var source = scansSource ? engine.RowsInSource : double.NaN;
            return OperationMeasures.None
                .With(AnalyticsMetrics.SourceRows, source)
                .With(AnalyticsMetrics.RowsReturned, returned)
                .With(AnalyticsMetrics.SourceRate, source / Math.Max(seconds, 1e-9));
        }
    }
}
