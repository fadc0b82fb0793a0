using System.Globalization;
using System.Runtime.CompilerServices;
using Benchmarks.Core.Stores;
using Benchmarks.Core.Workload;
using Benchmarks.Stores.Relational.Registry;

namespace Benchmarks.Stores.Relational.Postgres.Lean;

/// <summary>
/// The registry's operations through the lean client (<c>client: lean</c>): the same statements, rows and values as
/// through Npgsql (<see cref="RegistryOperations"/>), each call a pooled connection, one write and the rows read to
/// the end. The preload, the schema and the scripted faults stay with Npgsql.
/// </summary>
internal static class LeanRegistryOperations
{
    public static IStoreOperation Create(string operation, LeanPgPool pool, RegistryDriver driver, RegistryOperationSettings settings, RegistryModel model, WorkloadContext workload)
    {
        var sql = driver.Dialect.Statements;
        return operation switch
        {
            "lookup" => new Lookup(pool, new(sql.Lookup, ["name", "version"]), model, workload),
            "latest" => new Latest(pool, new(sql.Latest, ["name"]), model, workload),
            "list-by-status" => new ListByStatus(pool, new(sql.ListByStatus, ["status", "offset", "limit"]), settings),
            "register" => new Register(pool, new(sql.Register, ["model_id", "model_name", "version", "status", "metadata", "owner", "tags"]), driver, model, workload),
            "promote" => new Promote(pool, new(sql.PromoteLock, ["name", "version"]), new(sql.PromoteUpdate, ["name", "version", "status"]), model, workload, settings.PromoteTo),
            "search-tags" => new SearchTags(pool, new(sql.SearchTags, ["query", "limit"]), driver, settings),
            "sql" => new FreeSql(pool, new(settings.Statement!, [.. settings.Arguments.Select(a => a.Name)]), model, workload, settings),
            _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, "validated by the factory"),
        };
    }

    /// <summary>Up to seven arguments of one call, held inline so that a call allocates no array for them.</summary>
    [InlineArray(7)]
    private struct Arguments
    {
        private PgText _first;

        public static Arguments Of(params ReadOnlySpan<PgText> values)
        {
            var arguments = default(Arguments);
            values.CopyTo(arguments);
            return arguments;
        }
    }

    /// <summary>
    /// The shape of every call but promote's and a user's statement's: a pooled connection, the statement with this call's
    /// arguments, every row read, the connection given back when the outcome is read. With a connection free (always, in a
    /// closed loop no wider than the pool) no asynchronous method of its own stands between the operation and the poller.
    /// </summary>
    private static ValueTask Run(LeanPgPool pool, LeanPgStatement statement, Arguments arguments, CancellationToken cancellationToken)
    {
        var rent = pool.RentAsync(cancellationToken);
        return rent.IsCompletedSuccessfully
            ? BindThenRun(rent.Result, pool, statement, arguments)
            : RentThenRunAsync(rent, pool, statement, arguments);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private static async ValueTask RentThenRunAsync(ValueTask<LeanPgConnection> rent, LeanPgPool pool, LeanPgStatement statement, Arguments arguments) =>
        await BindThenRun(await rent, pool, statement, arguments);

    /// <summary>Writes this call's arguments and starts it; a connection whose call could not be written goes back at once.</summary>
    private static ValueTask BindThenRun(LeanPgConnection connection, LeanPgPool pool, LeanPgStatement statement, Arguments arguments)
    {
        try
        {
            // The statement reads only the arguments its parameters name; the unused slots stay empty.
            connection.Bind(statement, arguments);
        }
        catch
        {
            pool.Return(connection);
            throw;
        }

        return connection.RunThenReturn(pool);
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The model and version of the next row the workload names: the model's name written from its number, no string made.</summary>
    private static (PgText Name, string Version) NextKey(RegistryModel model, WorkloadContext workload, ref OperationRandom random, long sequence)
    {
        var index = workload.Distribution.Next(ref random, sequence);
        return (PgText.Numbered(model.NamePrefix, model.ModelOf(index)), model.VersionOf(index));
    }

    private sealed class Lookup(LeanPgPool pool, LeanPgStatement statement, RegistryModel model, WorkloadContext workload) : IStoreOperation
    {
        public ValueTask ExecuteAsync(OperationRandom random, long sequence, CancellationToken cancellationToken)
        {
            var (name, version) = NextKey(model, workload, ref random, sequence);
            var arguments = Arguments.Of(name, version);
            return Run(pool, statement, arguments, cancellationToken);
        }
    }

    private sealed class Latest(LeanPgPool pool, LeanPgStatement statement, RegistryModel model, WorkloadContext workload) : IStoreOperation
    {
        public ValueTask ExecuteAsync(OperationRandom random, long sequence, CancellationToken cancellationToken)
        {
            var (name, _) = NextKey(model, workload, ref random, sequence);
            return Run(pool, statement, Arguments.Of(name), cancellationToken);
        }
    }

    private sealed class ListByStatus(LeanPgPool pool, LeanPgStatement statement, RegistryOperationSettings settings) : IStoreOperation
    {
        private readonly string _limit = Number(settings.PageSize);

        public ValueTask ExecuteAsync(OperationRandom random, long sequence, CancellationToken cancellationToken)
        {
            var page = random.NextLong(settings.Pages);
            var arguments = Arguments.Of(settings.Status, Number(page * settings.PageSize), _limit);
            return Run(pool, statement, arguments, cancellationToken);
        }
    }

    private sealed class Register(LeanPgPool pool, LeanPgStatement statement, RegistryDriver driver, RegistryModel model, WorkloadContext workload) : IStoreOperation
    {
        public ValueTask ExecuteAsync(OperationRandom random, long sequence, CancellationToken cancellationToken)
        {
            var (name, _) = RegistryOperations.NextRow(model, workload, ref random, sequence);
            var row = model.NewVersion(ref random, name, driver.NextRegisteredVersion(), DateTime.UtcNow);
            var arguments = Arguments.Of(row.ModelId.ToString(), row.ModelName, row.Version, row.Status, row.Metadata, row.Owner, row.Tags);
            return Run(pool, statement, arguments, cancellationToken);
        }
    }

    /// <summary>The registry service's status change: BEGIN with the row's lock in one write, the update and COMMIT in the next.</summary>
    private sealed class Promote(LeanPgPool pool, LeanPgStatement lockRow, LeanPgStatement update, RegistryModel model, WorkloadContext workload, string to) : IStoreOperation
    {
        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
        public async ValueTask ExecuteAsync(OperationRandom random, long sequence, CancellationToken cancellationToken)
        {
            var (name, version) = NextKey(model, workload, ref random, sequence);
            var connection = await pool.RentAsync(cancellationToken);
            try
            {
                connection.Begin();
                connection.Bind(lockRow, [name, version]);
                await connection.RunAsync();
                connection.Bind(update, [name, version, to]);
                connection.Commit();
                await connection.RunAsync();
            }
            finally
            {
                // A connection left inside the transaction (its call failed) is closed by the pool, which ends the transaction.
                pool.Return(connection);
            }
        }
    }

    private sealed class SearchTags(LeanPgPool pool, LeanPgStatement statement, RegistryDriver driver, RegistryOperationSettings settings) : IStoreOperation
    {
        private readonly string _limit = Number(settings.PageSize);

        public ValueTask ExecuteAsync(OperationRandom random, long sequence, CancellationToken cancellationToken)
        {
            var query = driver.Dialect.SearchQuery(RegistryModel.Tags(ref random, settings.Terms).Split(' '));
            return Run(pool, statement, Arguments.Of(query, _limit), cancellationToken);
        }
    }

    private sealed class FreeSql(LeanPgPool pool, LeanPgStatement statement, RegistryModel model, WorkloadContext workload, RegistryOperationSettings settings) : IStoreOperation
    {
        private readonly string?[] _literals = [.. settings.Arguments.Select(a => a.Literal is long n ? Number(n) : a.Literal as string)];

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
        public async ValueTask ExecuteAsync(OperationRandom random, long sequence, CancellationToken cancellationToken)
        {
            var index = workload.Distribution.Next(ref random, sequence);
            var row = model.Key(index);
            // A user's statement may take any number of parameters: their values in an array of this call's own.
            var arguments = new PgText[settings.Arguments.Count];
            for (var position = 0; position < arguments.Length; position++)
            {
                var argument = settings.Arguments[position];
                arguments[position] = argument.Source == SqlArgumentSource.Literal
                    ? _literals[position]
                    : RegistryOperations.ArgumentValue(argument, row, index, ref random) switch { long n => Number(n), var text => (string)text };
            }

            var connection = await pool.RentAsync(cancellationToken);
            try
            {
                connection.Bind(statement, arguments);
                await connection.RunAsync();
            }
            finally
            {
                pool.Return(connection);
            }
        }
    }
}
