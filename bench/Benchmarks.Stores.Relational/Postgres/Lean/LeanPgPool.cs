using System.Collections.Concurrent;
using System.Globalization;
using Benchmarks.Core.Sockets;

namespace Benchmarks.Stores.Relational.Postgres.Lean;

/// <summary>
/// The lean client's connections: at most <c>poolSize</c> open, each lent to one operation at a time, opened when
/// needed and kept while they work (a connection whose call broke it, or that ended inside a transaction, is closed
/// instead). Waiting for a free connection is bounded by the connect timeout, as in Npgsql's pool. One watchdog for
/// the pool closes a connection whose call outlived the command timeout: a silent network costs a timeout, not a hang,
/// and no call pays for a timer of its own. On Linux the pool's pollers (one per core, at most one per connection)
/// read its plain-TCP connections, each connection given to one of them in turn.
/// </summary>
internal sealed class LeanPgPool : IAsyncDisposable
{
    private readonly LeanPgEndpoint _endpoint;
    private readonly bool _prepare;
    private readonly int _size;
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentQueue<LeanPgConnection> _idle = new();
    private readonly ConcurrentDictionary<LeanPgConnection, byte> _open = new();
    private readonly Timer _watchdog;
    private readonly LeanPoller[] _pollers;
    private int _opened;

    public LeanPgPool(LeanPgEndpoint endpoint, int size, bool prepare)
    {
        _endpoint = endpoint;
        _size = size;
        _prepare = prepare;
        _slots = new SemaphoreSlim(size, size);
        // Pollers read plain TCP only: with TLS required there would be nothing for them (prefer may still end in plain TCP).
        _pollers = LeanPoller.Supported && endpoint.Tls is LeanPgTls.Disable or LeanPgTls.Prefer
            ? [.. Enumerable.Range(0, Math.Min(size, Environment.ProcessorCount)).Select(LeanPoller.Start)]
            : [];
        var period = TimeSpan.FromMilliseconds(Math.Clamp(endpoint.CommandTimeout.TotalMilliseconds / 10, 50, 1000));
        _watchdog = new Timer(_ => AbortOverdue(), null, period, period);
    }

    /// <summary>A connection for one operation; give it back with <see cref="Return"/>, whatever the operation's outcome.</summary>
    public ValueTask<LeanPgConnection> RentAsync(CancellationToken cancellationToken)
    {
        if (_slots.Wait(0, CancellationToken.None))
        {
            return TryIdle() is { } idle ? new(idle) : OpenAsync(cancellationToken);
        }

        return WaitThenRentAsync(cancellationToken);
    }

    public void Return(LeanPgConnection connection)
    {
        if (connection.IsReusable)
        {
            _idle.Enqueue(connection);
        }
        else
        {
            _open.TryRemove(connection, out _);
            connection.Dispose();
        }

        _slots.Release();
    }

    public ValueTask DisposeAsync()
    {
        _watchdog.Dispose();
        foreach (var connection in _open.Keys)
        {
            connection.Dispose();
        }

        _open.Clear();
        foreach (var poller in _pollers)
        {
            poller.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private async ValueTask<LeanPgConnection> WaitThenRentAsync(CancellationToken cancellationToken)
    {
        if (!await _slots.WaitAsync(_endpoint.ConnectTimeout, cancellationToken))
        {
            throw new TimeoutException(string.Create(CultureInfo.InvariantCulture,
                $"all {_size} pooled connections to {_endpoint} stayed busy for {_endpoint.ConnectTimeout.TotalMilliseconds:0} ms (raise store.poolSize or lower the load)"));
        }

        return TryIdle() ?? await OpenAsync(cancellationToken);
    }

    /// <summary>An idle connection that still works; one the server closed while it waited is closed here.</summary>
    private LeanPgConnection? TryIdle()
    {
        while (_idle.TryDequeue(out var idle))
        {
            if (idle.IsReusable)
            {
                return idle;
            }

            _open.TryRemove(idle, out _);
            idle.Dispose();
        }

        return null;
    }

    /// <summary>A new connection for a caller that holds a slot; the slot is given back when the connection cannot be opened.</summary>
    private async ValueTask<LeanPgConnection> OpenAsync(CancellationToken cancellationToken)
    {
        try
        {
            var poller = _pollers.Length == 0 ? null : _pollers[(Interlocked.Increment(ref _opened) & int.MaxValue) % _pollers.Length];
            var connection = await LeanPgConnection.ConnectAsync(_endpoint, _prepare, poller, cancellationToken);
            _open.TryAdd(connection, 0);
            return connection;
        }
        catch
        {
            _slots.Release();
            throw;
        }
    }

    private void AbortOverdue()
    {
        var now = Environment.TickCount64;
        foreach (var connection in _open.Keys)
        {
            connection.AbortIfOverdue(now);
        }
    }
}
