using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Benchmarks.Core.Stores;
using Benchmarks.Core.Workload;

namespace Benchmarks.Stores.Relational.Registry;

/// <summary>
/// The registry's operations. Each picks its row from the scenario's key distribution, so
/// zipfian hot models and uniform scans behave as in the other stores. Their async state machines are pooled and
/// their commands kept (<see cref="CommandPool"/>): an operation that waits for the server allocates none of its own
/// beyond its values, leaving the client's allocations to the client.
/// </summary>
internal static class RegistryOperations
{
    /// <summary>Each operation's name and constructor, declared once: the factory's list of operations is made from it.</summary>
    private static readonly (string Name, Func<RegistryDriver, RegistryOperationSettings, RegistryModel, WorkloadContext, IStoreOperation> Create)[] Table =
    [
        ("lookup", (driver, settings, model, workload) => new Lookup(driver, model, workload)),
        ("latest", (driver, settings, model, workload) => new Latest(driver, model, workload)),
        ("list-by-status", (driver, settings, model, workload) => new ListByStatus(driver, settings)),
        ("register", (driver, settings, model, workload) => new Register(driver, model, workload)),
        ("promote", (driver, settings, model, workload) => new Promote(driver, model, workload, settings.PromoteTo)),
        ("search-tags", (driver, settings, model, workload) => new SearchTags(driver, settings.Terms, settings.PageSize)),
        ("sql", (driver, settings, model, workload) => new FreeSql(driver, model, workload, settings)),
    ];

    public static IReadOnlyList<string> Names { get; } = [.. Table.Select(t => t.Name)];

    public static IStoreOperation Create(string operation, RegistryDriver driver, RegistryOperationSettings settings, RegistryModel model, WorkloadContext workload) =>
        Array.Find(Table, t => t.Name == operation).Create?.Invoke(driver, settings, model, workload)
        ?? throw new ArgumentOutOfRangeException(nameof(operation), operation, "validated by the factory");

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<long> ReadAllAsync(DbCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await ResultSets.ReadAllAsync(reader, cancellationToken);
    }

    /// <summary>The shape of every read: a pooled connection, the statement's kept command with this call's values, every row read.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private static async ValueTask QueryAsync<TState>(RegistryDriver driver, CommandPool commands, TState state, Action<DbCommand, TState> bind,
        CancellationToken cancellationToken)
    {
        await using var connection = await driver.Dialect.OpenConnectionAsync(cancellationToken);
        var command = commands.Rent(connection);
        bind(command, state);
        // The reader read here rather than through ReadAllAsync: one asynchronous layer fewer on every lookup.
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            await ResultSets.ReadAllAsync(reader, cancellationToken);
        }

        commands.Return(command);
    }

    internal static (string Name, string Version) NextRow(RegistryModel model, WorkloadContext workload, ref OperationRandom random, long sequence) =>
        model.Key(workload.Distribution.Next(ref random, sequence));

    /// <summary>A <c>sql</c> operation's argument for this call, whichever client sends it: text, or a whole number.</summary>
    internal static object ArgumentValue(SqlArgument argument, (string Name, string Version) row, long index, ref OperationRandom random) => argument.Source switch
    {
        SqlArgumentSource.ModelName => row.Name,
        SqlArgumentSource.ModelVersion => row.Version,
        SqlArgumentSource.RowIndex => index,
        SqlArgumentSource.Tag => RegistryModel.TagWords[random.NextLong(RegistryModel.TagWords.Length)],
        _ => argument.Literal!,
    };

    private sealed class Lookup(RegistryDriver driver, RegistryModel model, WorkloadContext workload) : IStoreOperation
    {
        private readonly CommandPool _commands = new(driver.Dialect.Statements.Lookup, driver.CommandTimeoutSeconds);

        public ValueTask ExecuteAsync(OperationRandom random, long sequence, CancellationToken cancellationToken)
        {
            var row = NextRow(model, workload, ref random, sequence);
            return QueryAsync(driver, _commands, row, static (command, row) =>
            {
                CommandPool.Bind(command, 0, "name", row.Name, DbType.String, 255);
                CommandPool.Bind(command, 1, "version", row.Version, DbType.String, 50);
            }, cancellationToken);
        }
    }

    private sealed class Latest(RegistryDriver driver, RegistryModel model, WorkloadContext workload) : IStoreOperation
    {
        private readonly CommandPool _commands = new(driver.Dialect.Statements.Latest, driver.CommandTimeoutSeconds);

        public ValueTask ExecuteAsync(OperationRandom random, long sequence, CancellationToken cancellationToken)
        {
            var (name, _) = NextRow(model, workload, ref random, sequence);
            return QueryAsync(driver, _commands, name, static (command, name) => CommandPool.Bind(command, 0, "name", name, DbType.String, 255), cancellationToken);
        }
    }

    /// <summary>One page of the models in a status; the page is uniform among the first <c>pages</c>.</summary>
    private sealed class ListByStatus(RegistryDriver driver, RegistryOperationSettings settings) : IStoreOperation
    {
        private readonly CommandPool _commands = new(driver.Dialect.Statements.ListByStatus, driver.CommandTimeoutSeconds);

        public ValueTask ExecuteAsync(OperationRandom random, long sequence, CancellationToken cancellationToken)
        {
            var page = random.NextLong(settings.Pages);
            return QueryAsync(driver, _commands, (settings, page), static (command, state) =>
            {
                CommandPool.Bind(command, 0, "status", state.settings.Status, DbType.String, 20);
                CommandPool.Bind(command, 1, "offset", state.page * state.settings.PageSize, DbType.Int64);
                CommandPool.Bind(command, 2, "limit", (long)state.settings.PageSize, DbType.Int64);
            }, cancellationToken);
        }
    }

    /// <summary>A new draft version of a model the distribution picked.</summary>
    private sealed class Register(RegistryDriver driver, RegistryModel model, WorkloadContext workload) : IStoreOperation
    {
        private readonly CommandPool _commands = new(driver.Dialect.Statements.Register, driver.CommandTimeoutSeconds);

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
        public async ValueTask ExecuteAsync(OperationRandom random, long sequence, CancellationToken cancellationToken)
        {
            var (name, _) = NextRow(model, workload, ref random, sequence);
            var row = model.NewVersion(ref random, name, driver.NextRegisteredVersion(), DateTime.UtcNow);
            await using var connection = await driver.Dialect.OpenConnectionAsync(cancellationToken);
            var command = _commands.Rent(connection);
            BindRow(command, row);
            await command.ExecuteNonQueryAsync(cancellationToken);
            _commands.Return(command);
        }

        private static void BindRow(DbCommand command, ModelRow row)
        {
            CommandPool.Bind(command, 0, "model_id", row.ModelId, DbType.Guid);
            CommandPool.Bind(command, 1, "model_name", row.ModelName, DbType.String, 255);
            CommandPool.Bind(command, 2, "version", row.Version, DbType.String, 50);
            CommandPool.Bind(command, 3, "status", row.Status, DbType.String, 20);
            CommandPool.Bind(command, 4, "metadata", row.Metadata, DbType.String, -1);
            CommandPool.Bind(command, 5, "owner", row.Owner, DbType.String, 100);
            CommandPool.Bind(command, 6, "tags", row.Tags, DbType.String, 1000);
        }
    }

    /// <summary>
    /// A status change as the registry's service makes it: in one transaction, lock the row and read
    /// its status, then write the new status and updated_at.
    /// </summary>
    private sealed class Promote(RegistryDriver driver, RegistryModel model, WorkloadContext workload, string to) : IStoreOperation
    {
        private readonly CommandPool _locks = new(driver.Dialect.Statements.PromoteLock, driver.CommandTimeoutSeconds);
        private readonly CommandPool _updates = new(driver.Dialect.Statements.PromoteUpdate, driver.CommandTimeoutSeconds);

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
        public async ValueTask ExecuteAsync(OperationRandom random, long sequence, CancellationToken cancellationToken)
        {
            var (name, version) = NextRow(model, workload, ref random, sequence);
            await using var connection = await driver.Dialect.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
            var select = _locks.Rent(connection, transaction);
            CommandPool.Bind(select, 0, "name", name, DbType.String, 255);
            CommandPool.Bind(select, 1, "version", version, DbType.String, 50);
            await ReadAllAsync(select, cancellationToken);
            _locks.Return(select);

            var update = _updates.Rent(connection, transaction);
            CommandPool.Bind(update, 0, "name", name, DbType.String, 255);
            CommandPool.Bind(update, 1, "version", version, DbType.String, 50);
            CommandPool.Bind(update, 2, "status", to, DbType.String, 20);
            await update.ExecuteNonQueryAsync(cancellationToken);
            _updates.Return(update);

            await transaction.CommitAsync(cancellationToken);
        }
    }

    /// <summary>Full-text search for models tagged with every one of <c>terms</c> random words.</summary>
    private sealed class SearchTags(RegistryDriver driver, int terms, int limit) : IStoreOperation
    {
        private readonly CommandPool _commands = new(driver.Dialect.Statements.SearchTags, driver.CommandTimeoutSeconds);

        public ValueTask ExecuteAsync(OperationRandom random, long sequence, CancellationToken cancellationToken)
        {
            var query = driver.Dialect.SearchQuery(RegistryModel.Tags(ref random, terms).Split(' '));
            return QueryAsync(driver, _commands, (query, limit), static (command, state) =>
            {
                CommandPool.Bind(command, 0, "query", state.query, DbType.String, 1000);
                CommandPool.Bind(command, 1, "limit", (long)state.limit, DbType.Int64);
            }, cancellationToken);
        }
    }

    /// <summary>A user's own statement, with parameters drawn from the workload or written literally.</summary>
    private sealed class FreeSql(RegistryDriver driver, RegistryModel model, WorkloadContext workload, RegistryOperationSettings settings) : IStoreOperation
    {
        private readonly CommandPool _commands = new(settings.Statement!, driver.CommandTimeoutSeconds);

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
        public async ValueTask ExecuteAsync(OperationRandom random, long sequence, CancellationToken cancellationToken)
        {
            var index = workload.Distribution.Next(ref random, sequence);
            var (name, version) = model.Key(index);
            await using var connection = await driver.Dialect.OpenConnectionAsync(cancellationToken);
            var command = _commands.Rent(connection);
            var arguments = settings.Arguments;
            for (var position = 0; position < arguments.Count; position++)
            {
                var argument = arguments[position];
                var value = ArgumentValue(argument, (name, version), index, ref random);
                // Fixed sizes for the registry's own columns, as the other operations bind them.
                var size = argument.Source switch { SqlArgumentSource.ModelName => 255, SqlArgumentSource.ModelVersion => 50, SqlArgumentSource.Tag => 100, _ => 0 };
                CommandPool.Bind(command, position, argument.Name, value, value is long ? DbType.Int64 : DbType.String, size);
            }

            await ReadAllAsync(command, cancellationToken);
            _commands.Return(command);
        }
    }
}
