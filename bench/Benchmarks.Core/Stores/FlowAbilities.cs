using Benchmarks.Core.Workload;

namespace Benchmarks.Core.Stores;

/// <summary>What a <see cref="IFindingOperation"/> learnt: whether the key was there, and the store's measures of the call.</summary>
public readonly record struct Finding(bool Found, OperationMeasures Measures)
{
    /// <summary>What the lookup read (the cached value, the document as the store sent it); empty when nothing was read.</summary>
    public ReadOnlyMemory<byte> Value { get; init; }

    /// <summary>
    /// Whether the same operation in a plain mix counts a miss as an error (a Cosmos DB read's 404; a Redis GET's nil
    /// is not): a flow step that does not branch on the lookup then fails as <see cref="ErrorKind.NotFound"/>.
    /// </summary>
    public bool MissIsError { get; init; }
}

/// <summary>A lookup found nothing where the workload expected something: counted as <see cref="ErrorKind.NotFound"/>.</summary>
public sealed class KeyNotFoundInStoreException : Exception
{
    public KeyNotFoundInStoreException() { }

    public KeyNotFoundInStoreException(string message) : base(message) { }

    public KeyNotFoundInStoreException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>An operation that can write a value it is given (a cache's write-back of the document a flow just read).</summary>
public interface IValueWritingOperation : IStoreOperation
{
    /// <summary>Writes <paramref name="value"/> at the key <paramref name="sequence"/> addresses; throws on a failure.</summary>
    ValueTask WriteAsync(OperationRandom random, long sequence, ReadOnlyMemory<byte> value, CancellationToken cancellationToken);
}

/// <summary>
/// An operation that can say whether it found what it looked up (a cache hit, a document read): a flow
/// branches on it. A miss is an answer, not an error; the same operation in a plain mix keeps its own rules.
/// </summary>
public interface IFindingOperation : IStoreOperation
{
    /// <summary>Runs once, as <see cref="IStoreOperation.ExecuteAsync"/> does; throws only on a failure.</summary>
    ValueTask<Finding> FindAsync(OperationRandom random, long sequence, CancellationToken cancellationToken);
}

/// <summary>A store kind some of whose operations are <see cref="IFindingOperation"/>s: the loader lets a flow branch only on those.</summary>
public interface IHasFindingOperations
{
    IReadOnlyCollection<string> FindingOperations { get; }
}

/// <summary>A connected driver that hands its SDK client to code-first flows, so they call the store exactly as the harness does.</summary>
public interface IExposesClient
{
    /// <summary>The connected client as <typeparamref name="T"/> (e.g. StackExchange.Redis <c>IDatabase</c>, Cosmos <c>Container</c>), or null when this store has none of that type.</summary>
    T? Client<T>() where T : class;

    /// <summary>The client types <see cref="Client{T}"/> answers, named in the error a flow gets when it asks for another.</summary>
    IReadOnlyList<Type> ClientTypes { get; }
}
