using Benchmarks.Core.Stores;

namespace Benchmarks.Stores.Analytics;

/// <summary>What differs between DuckDB and Synapse: connecting, the query's dialect, running a statement.</summary>
internal interface IAnalyticsEngine : IAsyncDisposable
{
    string ClientLibrary { get; }

    string ClientVersion { get; }

    Task<StoreInfo> StartAsync(CancellationToken cancellationToken);

    /// <summary>Makes the data set queryable (DuckDB: generates it when missing; Synapse: nothing, the lake is given).</summary>
    Task PrepareDataAsync(IProgress<long> progress, CancellationToken cancellationToken);

    /// <summary>The training-data query in this engine's dialect; with <paramref name="count"/>, a query of how many rows it makes.</summary>
    string TrainingData(int windowDays, bool count);

    /// <summary>Rows in the data the query reads (it reads them all: there is no partition pruning); NaN when the engine cannot tell.</summary>
    double RowsInSource { get; }

    /// <summary>Runs a statement and returns the rows it produced: fetched one by one, or (<paramref name="isCount"/>) the number the statement returns.</summary>
    Task<long> RunAsync(string statement, bool isCount, CancellationToken cancellationToken);

    ErrorKind Classify(Exception error);
}
