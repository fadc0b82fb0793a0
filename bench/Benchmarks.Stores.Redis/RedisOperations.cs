using Benchmarks.Core.Stores;
using Benchmarks.Core.Workload;
using StackExchange.Redis;

namespace Benchmarks.Stores.Redis;

/// <summary>
/// The Redis operations of a mix. Keys come from the scenario's distribution; hashes live at
/// "&lt;key&gt;:h" and counters at "&lt;key&gt;:n", so every kind of operation finds its own type.
/// </summary>
internal static class RedisOperations
{
    /// <summary>Each operation's name and constructor, declared once: the factory's list of operations is made from it.</summary>
    private static readonly (string Name, Func<RedisDriver, RedisOperationSettings, WorkloadContext, IStoreOperation> Create)[] Table =
    [
        ("get", (driver, settings, workload) => new Lookup(driver, workload)),
        ("set", (driver, settings, workload) => new Write(driver, workload, settings)),
        ("mget", (driver, settings, workload) => new MGet(driver, workload, settings.Keys)),
        ("hgetall", (driver, settings, workload) => new Single(driver, workload, Command.HGetAll, settings)),
        ("hset", (driver, settings, workload) => new Single(driver, workload, Command.HSet, settings)),
        ("incr", (driver, settings, workload) => new Single(driver, workload, Command.Incr, settings)),
        ("pipeline", (driver, settings, workload) => new Pipeline(driver, workload, settings)),
    ];

    public static IReadOnlyList<string> Names { get; } = [.. Table.Select(t => t.Name)];

    public static IStoreOperation Create(string operation, RedisDriver driver, RedisOperationSettings settings, WorkloadContext workload) =>
        Array.Find(Table, t => t.Name == operation).Create?.Invoke(driver, settings, workload)
        ?? throw new ArgumentOutOfRangeException(nameof(operation), operation, "validated by the factory");

    internal enum Command
    {
        Get,
        Set,
        Incr,
        HGetAll,
        HSet,
    }

    internal static Command Parse(string name) => name switch
    {
        "set" => Command.Set,
        "incr" => Command.Incr,
        "hgetall" => Command.HGetAll,
        "hset" => Command.HSet,
        _ => Command.Get,
    };

    /// <summary>Issues one command on <paramref name="target"/> (a database or a batch).</summary>
    internal static Task Issue(IDatabaseAsync target, Command command, WorkloadContext workload, RedisOperationSettings settings, ref OperationRandom random, long sequence)
    {
        var key = workload.NextKey(ref random, sequence);
        switch (command)
        {
            case Command.Get:
                return target.StringGetAsync(key);
            case Command.Set:
                return settings.Ttl is { } ttl ? target.StringSetAsync(key, workload.Values.Next(ref random), ttl) : target.StringSetAsync(key, workload.Values.Next(ref random));
            case Command.Incr:
                return target.StringIncrementAsync(key + ":n");
            case Command.HGetAll:
                return target.HashGetAllAsync(key + ":h");
            default:
                return target.HashSetAsync(key + ":h", HashFields(workload, settings.Fields, ref random));
        }
    }

    internal static HashEntry[] HashFields(WorkloadContext workload, int fields, ref OperationRandom random)
    {
        var entries = new HashEntry[fields];
        for (var i = 0; i < fields; i++)
        {
            entries[i] = new HashEntry(FieldName(i), workload.Values.Next(ref random));
        }

        return entries;
    }

    /// <summary>The name of a hash's field <paramref name="i"/>: f0, f1, ...</summary>
    internal static string FieldName(int i) => i < FieldNames.Length ? FieldNames[i] : $"f{i.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    private static readonly string[] FieldNames = [.. Enumerable.Range(0, 64).Select(i => $"f{i}")];

    private sealed class Single(RedisDriver driver, WorkloadContext workload, Command command, RedisOperationSettings settings) : IStoreOperation
    {
        public ValueTask ExecuteAsync(OperationRandom random, long sequence, CancellationToken cancellationToken) =>
            new(Issue(driver.NextDatabase(), command, workload, settings, ref random, sequence));
    }

    /// <summary>GET, which can also say whether the key was there: a flow's cache step branches on it.</summary>
    private sealed class Lookup(RedisDriver driver, WorkloadContext workload) : IFindingOperation
    {
        public ValueTask ExecuteAsync(OperationRandom random, long sequence, CancellationToken cancellationToken) =>
            new(driver.NextDatabase().StringGetAsync(workload.NextKey(ref random, sequence)));

        public async ValueTask<Finding> FindAsync(OperationRandom random, long sequence, CancellationToken cancellationToken)
        {
            var value = await driver.NextDatabase().StringGetAsync(workload.NextKey(ref random, sequence));
            return new Finding(!value.IsNull, OperationMeasures.None) { Value = value.IsNull ? default : (ReadOnlyMemory<byte>)value };
        }
    }

    /// <summary>SET of a generated value, or, in a flow, of the value it is given (the document a step read), with the entry's TTL.</summary>
    private sealed class Write(RedisDriver driver, WorkloadContext workload, RedisOperationSettings settings) : IValueWritingOperation
    {
        public ValueTask ExecuteAsync(OperationRandom random, long sequence, CancellationToken cancellationToken) =>
            new(Issue(driver.NextDatabase(), Command.Set, workload, settings, ref random, sequence));

        public ValueTask WriteAsync(OperationRandom random, long sequence, ReadOnlyMemory<byte> value, CancellationToken cancellationToken)
        {
            var key = workload.NextKey(ref random, sequence);
            var database = driver.NextDatabase();
            return new(settings.Ttl is { } ttl ? database.StringSetAsync(key, value, ttl) : database.StringSetAsync(key, value));
        }
    }

    private sealed class MGet(RedisDriver driver, WorkloadContext workload, int keys) : IStoreOperation
    {
        public ValueTask ExecuteAsync(OperationRandom random, long sequence, CancellationToken cancellationToken)
        {
            var batch = new RedisKey[keys];
            for (var i = 0; i < batch.Length; i++)
            {
                batch[i] = workload.NextKey(ref random, (sequence * keys) + i);
            }

            return new(driver.NextDatabase().StringGetAsync(batch));
        }
    }

    /// <summary>K commands written together (one IBatch) and awaited together: the latency is the whole batch's.</summary>
    private sealed class Pipeline(RedisDriver driver, WorkloadContext workload, RedisOperationSettings settings) : IStoreOperation
    {
        private readonly Command _command = Parse(settings.PipelinedOperation);

        public ValueTask ExecuteAsync(OperationRandom random, long sequence, CancellationToken cancellationToken)
        {
            var batch = driver.NextDatabase().CreateBatch();
            var tasks = new Task[settings.Commands];
            for (var i = 0; i < tasks.Length; i++)
            {
                tasks[i] = Issue(batch, _command, workload, settings, ref random, (sequence * settings.Commands) + i);
            }

            batch.Execute();
            return new(Task.WhenAll(tasks));
        }
    }
}
