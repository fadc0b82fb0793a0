using System.Data;
using System.Data.Common;
using Benchmarks.Stores.Relational.Registry;
using Npgsql;

namespace Benchmarks.UnitTests.Relational;

/// <summary>The registry's kept commands: built once, bound to each call's connection with that call's values.</summary>
public sealed class CommandPoolTests
{
    [Fact]
    public void A_returned_command_comes_back_on_the_next_connection_with_its_parameters_and_the_new_values()
    {
        var pool = new CommandPool("SELECT @name, @n", 7);
        using var first = new NpgsqlConnection();
        var command = pool.Rent(first);
        CommandPool.Bind(command, 0, "name", "model-1", DbType.String, 255);
        CommandPool.Bind(command, 1, "n", 1L, DbType.Int64);
        pool.Return(command);
        Assert.Null(command.Connection);

        using var second = new NpgsqlConnection();
        var again = pool.Rent(second);
        CommandPool.Bind(again, 0, "name", "model-2", DbType.String, 255);
        CommandPool.Bind(again, 1, "n", 2L, DbType.Int64);

        Assert.Same(command, again);
        Assert.Same(second, again.Connection);
        Assert.Equal(("SELECT @name, @n", 7), (again.CommandText, again.CommandTimeout));
        Assert.Equal([("name", (object)"model-2", DbType.String, 255), ("n", 2L, DbType.Int64, 0)],
            again.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, p.Value!, p.DbType, p.Size)));
    }

    [Fact]
    public void A_command_whose_call_failed_is_not_given_out_again()
    {
        var pool = new CommandPool("SELECT 1", 5);
        using var connection = new NpgsqlConnection();
        var kept = pool.Rent(connection);

        Assert.NotSame(kept, pool.Rent(connection));
    }
}
