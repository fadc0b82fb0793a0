using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Benchmarks.Core.Stores;
using Benchmarks.Core.Workload;

namespace Benchmarks.Stores.Relational.Registry;

/// <summary>
/// The registry's operations. Each picks its row from the scenario's key distribution, so
/// zipfian hot models and uniform scans behave as in the other stores. Their async state machines are pooled: an
/// operation that waits for the server allocates none of its own, leaving the client's allocations to the client.
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

    private static DbCommand Command(DbConnection connection, RegistryDriver driver, string text)
    {
        var command = connection.CreateCommand();
        command.CommandText = text;
        command.CommandTimeout = driver.CommandTimeoutSeconds;
        return command;
    }

    /// <summary>Adds a typed parameter; a fixed size keeps SQL Server from caching one plan per string length.</summary>
    internal static void Add(DbCommand command, string name, object value, DbType type, int size = 0)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        parameter.DbType = type;
        if (size != 0)
        {
            parameter.Size = size;
        }

        command.Parameters.Add(parameter);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<long> ReadAllAsync(DbCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await ResultSets.ReadAllAsync(reader, cancellationToken);
    }

    /// <summary>The shape of every read: a pooled connection, one statement with its parameters, every row read.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private static async ValueTask QueryAsync<TState>(RegistryDriver driver, string statement, TState state, Action<DbCommand, TState> bind,
        CancellationToken cancellationToken)
    {
        await using var connection = await driver.Dialect.OpenConnectionAsync(cancellationToken);
        await using var command = Command(connection, driver, statement);
        bind(command, state);
        await ReadAllAsync(command, cancellationToken);
    }

    private static (string Name, string Version) NextRow(RegistryModel model, WorkloadContext workload, ref OperationRandom random, long sequence) =>
        model.Key(workload.Distribution.Next(ref random, sequence));

    private sealed class Lookup(RegistryDriver driver, RegistryModel model, WorkloadContext workload) : IStoreOperation
    {
        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
        public async ValueTask ExecuteAsync(OperationRandom random, long sequence, CancellationToken cancellationToken)
        {
            var row = NextRow(model, workload, ref random, sequence);
            await QueryAsync(driver, driver.Dialect.Statements.Lookup, row, static (command, row) =>
            {
                Add(command, "name", row.Name, DbType.String, 255);
                Add(command, "version", row.Version, DbType.String, 50);
            }, cancellationToken);
        }
    }

    private sealed class Latest(RegistryDriver driver, RegistryModel model, WorkloadContext workload) : IStoreOperation
    {
        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
        public async ValueTask ExecuteAsync(OperationRandom random, long sequence, CancellationToken cancellationToken)
        {
            var (name, _) = NextRow(model, workload, ref random, sequence);
            await QueryAsync(driver, driver.Dialect.Statements.Latest, name, static (command, name) => Add(command, "name", name, DbType.String, 255), cancellationToken);
        }
    }

    /// <summary>One page of the models in a status; the page is uniform among the first <c>pages</c>.</summary>
    private sealed class ListByStatus(RegistryDriver driver, RegistryOperationSettings settings) : IStoreOperation
    {
        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
        public async ValueTask ExecuteAsync(OperationRandom random, long sequence, CancellationToken cancellationToken)
        {
            var page = random.NextLong(settings.Pages);
            await QueryAsync(driver, driver.Dialect.Statements.ListByStatus, (settings, page), static (command, state) =>
            {
                Add(command, "status", state.settings.Status, DbType.String, 20);
                Add(command, "offset", state.page * state.settings.PageSize, DbType.Int64);
                Add(command, "limit", (long)state.settings.PageSize, DbType.Int64);
            }, cancellationToken);
        }
    }

    /// <summary>A new draft version of a model the distribution picked.</summary>
    private sealed class Register(RegistryDriver driver, RegistryModel model, WorkloadContext workload) : IStoreOperation
    {
        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
        public async ValueTask ExecuteAsync(OperationRandom random, long sequence, CancellationToken cancellationToken)
        {
            var (name, _) = NextRow(model, workload, ref random, sequence);
            var row = model.NewVersion(ref random, name, driver.NextRegisteredVersion(), DateTime.UtcNow);
            await using var connection = await driver.Dialect.OpenConnectionAsync(cancellationToken);
            await using var command = Command(connection, driver, driver.Dialect.Statements.Register);
            AddRow(command, row);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    internal static void AddRow(DbCommand command, ModelRow row)
    {
        Add(command, "model_id", row.ModelId, DbType.Guid);
        Add(command, "model_name", row.ModelName, DbType.String, 255);
        Add(command, "version", row.Version, DbType.String, 50);
        Add(command, "status", row.Status, DbType.String, 20);
        Add(command, "metadata", row.Metadata, DbType.String, -1);
        Add(command, "owner", row.Owner, DbType.String, 100);
        Add(command, "tags", row.Tags, DbType.String, 1000);
    }

    /// <summary>
    /// A status change as the registry's service makes it: in one transaction, lock the row and read
    /// its status, then write the new status and updated_at.
    /// </summary>
    private sealed class Promote(RegistryDriver driver, RegistryModel model, WorkloadContext workload, string to) : IStoreOperation
    {
        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
        public async ValueTask ExecuteAsync(OperationRandom random, long sequence, CancellationToken cancellationToken)
        {
            var (name, version) = NextRow(model, workload, ref random, sequence);
            await using var connection = await driver.Dialect.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
            await using (var select = Command(connection, driver, driver.Dialect.Statements.PromoteLock))
            {
                select.Transaction = transaction;
                Add(select, "name", name, DbType.String, 255);
                Add(select, "version", version, DbType.String, 50);
                await ReadAllAsync(select, cancellationToken);
            }

            await using (var update = Command(connection, driver, driver.Dialect.Statements.PromoteUpdate))
            {
                update.Transaction = transaction;
                Add(update, "name", name, DbType.String, 255);
                Add(update, "version", version, DbType.String, 50);
                Add(update, "status", to, DbType.String, 20);
                await update.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }
    }

    /// <summary>Full-text search for models tagged with every one of <c>terms</c> random words.</summary>
    private sealed class SearchTags(RegistryDriver driver, int terms, int limit) : IStoreOperation
    {
        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
        public async ValueTask ExecuteAsync(OperationRandom random, long sequence, CancellationToken cancellationToken)
        {
            var query = driver.Dialect.SearchQuery(RegistryModel.Tags(ref random, terms).Split(' '));
            await QueryAsync(driver, driver.Dialect.Statements.SearchTags, (query, limit), static (command, state) =>
            {
                Add(command, "query", state.query, DbType.String, 1000);
                Add(command, "limit", (long)state.limit, DbType.Int64);
            }, cancellationToken);
        }
    }

    /// <summary>A user's own statement, with parameters drawn from the workload or written literally.</summary>
    private sealed class FreeSql(RegistryDriver driver, RegistryModel model, WorkloadContext workload, RegistryOperationSettings settings) : IStoreOperation
    {
        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
        public async ValueTask ExecuteAsync(OperationRandom random, long sequence, CancellationToken cancellationToken)
        {
            var index = workload.Distribution.Next(ref random, sequence);
            var (name, version) = model.Key(index);
            await using var connection = await driver.Dialect.OpenConnectionAsync(cancellationToken);
            await using var command = Command(connection, driver, settings.Statement!);
            foreach (var argument in settings.Arguments)
            {
                switch (argument.Source)
                {
                    case SqlArgumentSource.ModelName:
                        Add(command, argument.Name, name, DbType.String, 255);
                        break;
                    case SqlArgumentSource.ModelVersion:
                        Add(command, argument.Name, version, DbType.String, 50);
                        break;
                    case SqlArgumentSource.RowIndex:
                        Add(command, argument.Name, index, DbType.Int64);
                        break;
                    case SqlArgumentSource.Tag:
                        Add(command, argument.Name, RegistryModel.TagWords[random.NextLong(RegistryModel.TagWords.Length)], DbType.String, 100);
                        break;
                    default:
                        Add(command, argument.Name, argument.Literal!, argument.Literal is long ? DbType.Int64 : DbType.String);
                        break;
                }
            }

            await ReadAllAsync(command, cancellationToken);
        }
    }
}
