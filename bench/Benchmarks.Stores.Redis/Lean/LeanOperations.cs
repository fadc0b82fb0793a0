using System.Runtime.CompilerServices;
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
        var key = workload.NextKey(ref random, sequence);
        switch (command)
        {
            case RedisOperations.Command.Get:
                return ["GET", key];
            case RedisOperations.Command.Set:
                var value = workload.Values.Next(ref random);
                return settings.Ttl is { } ttl ? ["SET", key, value, "PX", Milliseconds(ttl)] : ["SET", key, value];
            case RedisOperations.Command.Incr:
                return ["INCR", key + ":n"];
            case RedisOperations.Command.HGetAll:
                return ["HGETALL", key + ":h"];
            default:
                var fields = RedisOperations.HashFields(workload, settings.Fields, ref random);
                var arguments = new RespArgument[2 + (2 * fields.Length)];
                arguments[0] = "HSET";
                arguments[1] = key + ":h";
                for (var i = 0; i < fields.Length; i++)
                {
                    arguments[2 + (2 * i)] = (string)fields[i].Name!;
                    arguments[3 + (2 * i)] = (byte[])fields[i].Value!;
                }

                return arguments;
        }
    }

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
            await connections.Next().SendAsync(["GET", workload.NextKey(ref random, sequence)]);

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
        public async ValueTask<Finding> FindAsync(OperationRandom random, long sequence, CancellationToken cancellationToken)
        {
            var reply = await connections.Next().SendAsync(["GET", workload.NextKey(ref random, sequence)], materialise: true);
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
            var key = workload.NextKey(ref random, sequence);
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
                arguments[i + 1] = workload.NextKey(ref random, (sequence * keys) + i);
            }

            await connections.Next().SendAsync(arguments);
        }
    }

    /// <summary>K commands written in one write and awaited together: the latency is the whole batch's.</summary>
    private sealed class Pipeline(LeanConnections connections, WorkloadContext workload, RedisOperationSettings settings) : IStoreOperation
    {
        private readonly RedisOperations.Command _command = RedisOperations.Parse(settings.PipelinedOperation);

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
        public async ValueTask ExecuteAsync(OperationRandom random, long sequence, CancellationToken cancellationToken)
        {
            var commands = new RespArgument[settings.Commands][];
            for (var i = 0; i < commands.Length; i++)
            {
                commands[i] = Command(_command, workload, settings, ref random, (sequence * settings.Commands) + i);
            }

            var replies = new ValueTask<RespReply>[commands.Length];
            connections.Next().SendBatch(commands, replies);
            foreach (var reply in replies)
            {
                await reply;
            }
        }
    }
}

/// <summary>The lean connections of a run, used round-robin as the multiplexers are.</summary>
internal sealed class LeanConnections(LeanConnection[] connections) : IAsyncDisposable
{
    private long _next;

    public LeanConnection Next() =>
        connections.Length == 1 ? connections[0] : connections[(int)((ulong)Interlocked.Increment(ref _next) % (ulong)connections.Length)];

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in connections)
        {
            await connection.DisposeAsync();
        }
    }
}
