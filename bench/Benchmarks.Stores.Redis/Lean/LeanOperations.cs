using System.Buffers;
using System.Runtime.CompilerServices;
using Benchmarks.Core.Sockets;
using Benchmarks.Core.Stores;
using Benchmarks.Core.Workload;

namespace Benchmarks.Stores.Redis.Lean;

/// <summary>
/// The Redis operations of a mix through the lean connections (<c>client: lean</c>): the same commands, keys and
/// values as <see cref="RedisOperations"/> issues through StackExchange.Redis, for the same operation names.
/// </summary>
internal static class LeanOperations
{
    public static IStoreOperation Create(string operation, LeanConnections connections, RedisOperationSettings settings, WorkloadContext workload) => operation switch
    {
        "get" => new Lookup(connections, workload),
        "set" => new Write(connections, workload, settings),
        "mget" => new MGet(connections, workload, settings.Keys),
        "pipeline" => new Pipeline(connections, workload, settings),
        _ => new Single(connections, workload, RedisOperations.Parse(operation), settings),
    };

    /// <summary>The arguments of one command of the mix: what <see cref="RedisOperations.Issue"/> sends, as RESP.</summary>
    internal static RespArgument[] Command(RedisOperations.Command command, WorkloadContext workload, RedisOperationSettings settings, ref OperationRandom random, long sequence)
    {
        var arguments = new RespArgument[Width(command, settings)];
        Command(command, workload, settings, ref random, sequence, arguments);
        return arguments;
    }

    /// <summary>How many arguments <see cref="Command(RedisOperations.Command, WorkloadContext, RedisOperationSettings, ref OperationRandom, long, Span{RespArgument})"/> writes: the same for every command of one kind.</summary>
    internal static int Width(RedisOperations.Command command, RedisOperationSettings settings) => command switch
    {
        RedisOperations.Command.Set => settings.Ttl is null ? 3 : 5,
        RedisOperations.Command.HSet => 2 + (2 * settings.Fields),
        _ => 2,
    };

    /// <summary>Writes one command's arguments into <paramref name="into"/> (<see cref="Width"/> of them), drawing the key and values as StackExchange.Redis's path does.</summary>
    internal static void Command(RedisOperations.Command command, WorkloadContext workload, RedisOperationSettings settings, ref OperationRandom random, long sequence, Span<RespArgument> into)
    {
        var key = workload.Distribution.Next(ref random, sequence);
        switch (command)
        {
            case RedisOperations.Command.Get:
                into[0] = "GET";
                into[1] = RespArgument.Key(workload.KeyPrefix, key);
                break;
            case RedisOperations.Command.Set:
                into[0] = "SET";
                into[1] = RespArgument.Key(workload.KeyPrefix, key);
                into[2] = workload.Values.Next(ref random);
                if (settings.Ttl is { } ttl)
                {
                    into[3] = "PX";
                    into[4] = Milliseconds(ttl);
                }

                break;
            case RedisOperations.Command.Incr:
                into[0] = "INCR";
                into[1] = RespArgument.Key(workload.KeyPrefix, key, ":n");
                break;
            case RedisOperations.Command.HGetAll:
                into[0] = "HGETALL";
                into[1] = RespArgument.Key(workload.KeyPrefix, key, ":h");
                break;
            default:
                into[0] = "HSET";
                into[1] = RespArgument.Key(workload.KeyPrefix, key, ":h");
                for (var i = 0; i < settings.Fields; i++)
                {
                    // Names and values drawn in the order RedisOperations.HashFields draws them.
                    into[2 + (2 * i)] = RedisOperations.FieldName(i);
                    into[3 + (2 * i)] = workload.Values.Next(ref random);
                }

                break;
        }
    }

    /// <summary>The next key, as <see cref="WorkloadContext.NextKey"/> draws it, written without a string.</summary>
    private static RespArgument Key(WorkloadContext workload, ref OperationRandom random, long sequence) =>
        RespArgument.Key(workload.KeyPrefix, workload.Distribution.Next(ref random, sequence));

    private static string Milliseconds(TimeSpan ttl) => ((long)ttl.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private sealed class Single(LeanConnections connections, WorkloadContext workload, RedisOperations.Command command, RedisOperationSettings settings) : IStoreOperation
    {
        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
        public async ValueTask ExecuteAsync(OperationRandom random, long sequence, CancellationToken cancellationToken) =>
            await connections.Next().SendAsync(Command(command, workload, settings, ref random, sequence));
    }

    /// <summary>GET, which can also say whether the key was there and what it held (a flow's cache step).</summary>
    private sealed class Lookup(LeanConnections connections, WorkloadContext workload) : IFindingOperation
    {
        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
        public async ValueTask ExecuteAsync(OperationRandom random, long sequence, CancellationToken cancellationToken) =>
            await connections.Next().SendAsync(["GET", Key(workload, ref random, sequence)]);

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
        public async ValueTask<Finding> FindAsync(OperationRandom random, long sequence, CancellationToken cancellationToken)
        {
            var reply = await connections.Next().SendAsync(["GET", Key(workload, ref random, sequence)], materialise: true);
            return new Finding(!reply.IsNull, OperationMeasures.None) { Value = reply.IsNull ? default : reply.Bulk };
        }
    }

    /// <summary>SET of a generated value, or, in a flow, of the value it is given, with the entry's TTL.</summary>
    private sealed class Write(LeanConnections connections, WorkloadContext workload, RedisOperationSettings settings) : IValueWritingOperation
    {
        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
        public async ValueTask ExecuteAsync(OperationRandom random, long sequence, CancellationToken cancellationToken) =>
            await connections.Next().SendAsync(Command(RedisOperations.Command.Set, workload, settings, ref random, sequence));

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
        public async ValueTask WriteAsync(OperationRandom random, long sequence, ReadOnlyMemory<byte> value, CancellationToken cancellationToken)
        {
            var key = Key(workload, ref random, sequence);
            await connections.Next().SendAsync(settings.Ttl is { } ttl
                ? ["SET", key, RespArgument.Of(value), "PX", Milliseconds(ttl)]
                : ["SET", key, RespArgument.Of(value)]);
        }
    }

    private sealed class MGet(LeanConnections connections, WorkloadContext workload, int keys) : IStoreOperation
    {
        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
        public async ValueTask ExecuteAsync(OperationRandom random, long sequence, CancellationToken cancellationToken)
        {
            var arguments = new RespArgument[keys + 1];
            arguments[0] = "MGET";
            for (var i = 0; i < keys; i++)
            {
                arguments[i + 1] = Key(workload, ref random, (sequence * keys) + i);
            }

            await connections.Next().SendAsync(arguments);
        }
    }

    /// <summary>
    /// K commands written in one write and awaited together: the latency is the whole batch's. Their arguments go in one
    /// pooled array, the batch waits on one reply slot: nothing is allocated per command.
    /// </summary>
    private sealed class Pipeline(LeanConnections connections, WorkloadContext workload, RedisOperationSettings settings) : IStoreOperation
    {
        private readonly RedisOperations.Command _command = RedisOperations.Parse(settings.PipelinedOperation);
        private readonly int _width = Width(RedisOperations.Parse(settings.PipelinedOperation), settings);

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
        public async ValueTask ExecuteAsync(OperationRandom random, long sequence, CancellationToken cancellationToken)
        {
            var arguments = ArrayPool<RespArgument>.Shared.Rent(settings.Commands * _width);
            ValueTask<RespReply> replies;
            try
            {
                for (var i = 0; i < settings.Commands; i++)
                {
                    Command(_command, workload, settings, ref random, (sequence * settings.Commands) + i, arguments.AsSpan(i * _width, _width));
                }

                replies = connections.Next().SendBatch(arguments.AsSpan(0, settings.Commands * _width), _width);
            }
            finally
            {
                ArrayPool<RespArgument>.Shared.Return(arguments, clearArray: true);
            }

            await replies;
        }
    }
}

/// <summary>
/// The lean connections of a run, used round-robin as the multiplexers are, and the pollers that read them (on Linux,
/// one per core up to one per connection: each wakes for all its sockets that have replies). As a reply loop, the
/// pollers' sets are waited on together by the thread that attaches (one epoll set of their epoll sets).
/// </summary>
internal sealed class LeanConnections : IReplyLoop, IAsyncDisposable
{
    private readonly LeanConnection[] _connections;
    private readonly LeanPoller[] _pollers;
    private readonly int _group = -1;
    private readonly byte[] _ready = Epoll.Events();
    private long _next;

    public LeanConnections(LeanConnection[] connections, LeanPoller[] pollers)
    {
        _connections = connections;
        _pollers = pollers;
        if (pollers.Length > 0)
        {
            _group = Epoll.Create();
            for (var i = 0; i < pollers.Length; i++)
            {
                Epoll.Add(_group, pollers[i].Descriptor, (ulong)i);
            }
        }
    }

    /// <summary>This client's reply loop for the open-model dispatcher: its pollers, when it has them.</summary>
    public IReplyLoop? ReplyLoop => _pollers.Length > 0 ? this : null;

    public LeanConnection Next() =>
        _connections.Length == 1 ? _connections[0] : _connections[(int)((ulong)Interlocked.Increment(ref _next) % (ulong)_connections.Length)];

    public IDisposable Attach()
    {
        foreach (var poller in _pollers)
        {
            poller.Pause();
        }

        return new Lease(_pollers);
    }

    public void Serve(long ticks)
    {
        var nanoseconds = ticks <= 0 ? 0 : (long)(ticks * (1e9 / System.Diagnostics.Stopwatch.Frequency));
        if (_pollers.Length == 1)
        {
            // One poller (one connection, or one core): its own set, one system call fewer per wait.
            _pollers[0].ServeReady(nanoseconds);
            return;
        }

        var ready = Epoll.WaitPrecisely(_group, _ready, nanoseconds);
        for (var i = 0; i < ready; i++)
        {
            _pollers[(int)Epoll.Data(_ready, i)].ServeReady(0);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }

        foreach (var poller in _pollers)
        {
            poller.Dispose();
        }

        if (_group >= 0)
        {
            Epoll.Close(_group);
        }
    }

    private sealed class Lease(LeanPoller[] pollers) : IDisposable
    {
        public void Dispose()
        {
            foreach (var poller in pollers)
            {
                poller.Resume();
            }
        }
    }
}
