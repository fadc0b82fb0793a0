using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;

namespace Benchmarks.Stores.Relational.Registry;

/// <summary>
/// One statement's commands, kept between calls as a service that caches its commands keeps them: a command
/// and its parameters are built once per concurrent use, then bound to the rented connection and given
/// new values. Building them for every call was most of what a lookup allocated (2.4 KB through Npgsql alone,
/// 0.55 KB with the command kept; docs/performance.md); what goes over the wire is the same. A command whose
/// call failed is not kept: its state after an error is the client's business.
/// </summary>
internal sealed class CommandPool(string statement, int commandTimeoutSeconds)
{
    private readonly ConcurrentQueue<DbCommand> _idle = new();

    /// <summary>A command for <paramref name="statement"/> on <paramref name="connection"/>; give it back with <see cref="Return"/> once its call succeeded.</summary>
    public DbCommand Rent(DbConnection connection, DbTransaction? transaction = null)
    {
        if (!_idle.TryDequeue(out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = statement;
            command.CommandTimeout = commandTimeoutSeconds;
        }

        command.Connection = connection;
        command.Transaction = transaction;
        return command;
    }

    /// <summary>Keeps the command for the next call, holding on to neither its connection nor its values.</summary>
    public void Return(DbCommand command)
    {
        command.Connection = null;
        command.Transaction = null;
        _idle.Enqueue(command);
    }

    /// <summary>
    /// Gives the parameter at <paramref name="position"/> its value: the parameter is created with its name,
    /// type and size the first time the command is bound, and only its value changes afterwards (a fixed
    /// size keeps SQL Server from caching one plan per string length).
    /// </summary>
    public static void Bind(DbCommand command, int position, string name, object value, DbType type, int size = 0)
    {
        if (position < command.Parameters.Count)
        {
            command.Parameters[position].Value = value;
            return;
        }

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
}
