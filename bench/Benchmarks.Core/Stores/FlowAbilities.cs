using Benchmarks.Core.Workload;

namespace Benchmarks.Core.Stores;

/// <summary>What a <see cref="IFindingOperation"/> learnt: whether the key was there, and the store's measures of the call.</summary>
public readonly record struct Finding(bool Found, OperationMeasures Measures);

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
