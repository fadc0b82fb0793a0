namespace Benchmarks.Core.Stores;

/// <summary>
/// A connected driver a scripted fault can act on. <c>pause</c> and <c>kill</c> need a server the harness
/// started (<see cref="LocalServer"/>); dropping connections and slowing the server are the store's own.
/// </summary>
public interface IFaultTarget
{
    /// <summary>The local server the harness started for this store; null when it reaches a server it did not start.</summary>
    LocalServerProcess? LocalServer { get; }

    /// <summary>Closes every client connection on the server's side (Redis <c>CLIENT KILL</c>, PostgreSQL <c>pg_terminate_backend</c>).</summary>
    Task DropConnectionsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Makes the server answer nothing the workload needs for <paramref name="duration"/> while it stays up (Redis
    /// <c>DEBUG SLEEP</c>; PostgreSQL: a transaction that holds the workload's table locked while it sleeps); returns when it is over.
    /// </summary>
    Task SlowAsync(TimeSpan duration, CancellationToken cancellationToken);
}
