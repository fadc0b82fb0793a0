using Benchmarks.Core.Workload;

namespace Benchmarks.Core.Stores;

/// <summary>One operation of the mix, bound to its store and its arguments. Called concurrently.</summary>
public interface IStoreOperation
{
    /// <summary>Runs once; throws on failure (the driver classifies the exception). <paramref name="random"/> is this operation's own stream.</summary>
    ValueTask ExecuteAsync(OperationRandom random, long sequence, CancellationToken cancellationToken);
}

/// <summary>A connected store. Optional abilities (preload, server stats) are separate small interfaces.</summary>
public interface IStoreDriver : IAsyncDisposable
{
    /// <summary>Connects (starting a local server first when asked); throws <see cref="StoreUnavailableException"/> when it cannot.</summary>
    Task<StoreInfo> ConnectAsync(CancellationToken cancellationToken);

    IStoreOperation CreateOperation(OperationDefinition operation, WorkloadContext workload);

    ErrorKind Classify(Exception error);

    /// <summary>
    /// True (the default) when a call does little before its first await (a client that enqueues a
    /// request and returns), so the open-model dispatcher starts it on its own thread. A driver whose
    /// calls rent connections and write statements synchronously says false: the dispatcher then hands
    /// each start to threads of its own, so one slow start cannot delay the operations due after it.
    /// </summary>
    bool StartsInline => true;

    /// <summary>The client's reply loop when the dispatcher's thread may read its replies (see <see cref="IReplyLoop"/>); null (the default) when replies arrive on the client's own threads.</summary>
    IReplyLoop? ReplyLoop => null;
}

/// <summary>A driver that can create the data set before measurement starts.</summary>
public interface IPreloadingDriver
{
    Task PreloadAsync(WorkloadContext workload, DataDefinition data, IProgress<long> progress, CancellationToken cancellationToken);

    /// <summary>What the preload makes, in the unit its progress counts (keys by default; rows, documents, events for others).</summary>
    (long Count, string Description) DescribePreload(DataDefinition data) => (data.Keys, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{data.Keys:N0} keys ({data.Value})"));
}

/// <summary>What the environment section of a result says about the store and its client. Never holds secrets.</summary>
public sealed record StoreInfo(string Target, string ClientLibrary, string ClientVersion, string? ServerName, string? ServerVersion);

/// <summary>The store could not be reached or started: the run is invalid (exit code 3), not failed.</summary>
public sealed class StoreUnavailableException : Exception
{
    public StoreUnavailableException() { }

    public StoreUnavailableException(string message) : base(message) { }

    public StoreUnavailableException(string message, Exception inner) : base(message, inner) { }
}
