namespace Benchmarks.Core.Stores;

/// <summary>
/// A client's reading of replies that the open-model dispatcher's own thread can take over while it waits for the
/// next start, as wrk2's and redis-benchmark's event loops do: the thread that sends also reads, so a reply never
/// waits for another thread to be woken and scheduled (on a 2-core machine that wait was most of the p99: see
/// docs/performance.md, "Load per core").
/// </summary>
public interface IReplyLoop
{
    /// <summary>Moves the reading onto the calling thread (the client's own readers stand by) until the lease is disposed.</summary>
    IDisposable Attach();

    /// <summary>
    /// Waits at most <paramref name="ticks"/> Stopwatch ticks for replies and serves those that arrive (their operations
    /// complete and record on this thread), returning once some have; 0 serves what has arrived.
    /// </summary>
    void Serve(long ticks);
}
