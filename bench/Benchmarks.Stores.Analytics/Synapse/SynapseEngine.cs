using System.Data;
using System.Globalization;
using System.Net.Sockets;
using Azure.Core;
using Azure.Identity;
using Benchmarks.Core.Stores;
using Benchmarks.Stores.Analytics.Queries;
using Benchmarks.Stores.SqlClient;
using Microsoft.Data.SqlClient;

namespace Benchmarks.Stores.Analytics.Synapse;

/// <summary>
/// A Synapse SQL pool through SqlClient: serverless (OPENROWSET over the lake's Parquet) or dedicated
/// (a table). No Synapse runs here: the query's T-SQL is parsed offline in the unit tests.
/// </summary>
internal sealed class SynapseEngine(AnalyticsSettings settings) : IAnalyticsEngine
{
    private string? _connectionString;
    private TokenCredential? _credential;

    public string ClientLibrary => "Microsoft.Data.SqlClient";

    public string ClientVersion => typeof(SqlConnection).Assembly.GetName().Version?.ToString() ?? "?";

    public double RowsInSource => double.NaN;

    public static string Describe(string connection)
    {
        try
        {
            var builder = new SqlConnectionStringBuilder(connection);
            return $"{builder.DataSource}/{builder.InitialCatalog}";
        }
        catch (Exception e) when (e is ArgumentException or KeyNotFoundException or FormatException)
        {
            return "(unparsable connection string)";
        }
    }

    public async Task<StoreInfo> StartAsync(CancellationToken cancellationToken)
    {
        _connectionString = new SqlConnectionStringBuilder(settings.Connection)
        {
            ConnectTimeout = Math.Max(1, (int)Math.Ceiling(settings.ConnectTimeout.TotalSeconds)),
            ApplicationName = "bench",
            ConnectRetryCount = 0,
        }.ConnectionString;
        if (settings.EntraId)
        {
            _credential = new DefaultAzureCredential();
        }

        var target = Describe(settings.Connection!);
        try
        {
            await using var connection = await OpenAsync(cancellationToken).WaitAsync(settings.ConnectTimeout + TimeSpan.FromSeconds(5), cancellationToken);
            return new StoreInfo(target, ClientLibrary, ClientVersion, "synapse", connection.ServerVersion);
        }
        catch (Exception e) when (e is SqlException or SocketException or TimeoutException or InvalidOperationException)
        {
            throw new StoreUnavailableException($"cannot connect to Synapse at {target}: {e.Message.Split('\n')[0].Trim()}", e);
        }
    }

    private Task<SqlConnection> OpenAsync(CancellationToken cancellationToken) =>
        SqlServerConnections.OpenAsync(_connectionString!, _credential, cancellationToken);

    public Task PrepareDataAsync(IProgress<long> progress, CancellationToken cancellationToken) => Task.CompletedTask;

    public string TrainingData(int windowDays, bool count) => TrainingDataQuery.Synapse(settings.Source!, windowDays, count);

    public async Task<long> RunAsync(string statement, bool isCount, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = statement;
        command.CommandTimeout = Math.Max(1, (int)Math.Ceiling(settings.CommandTimeout.TotalSeconds));
        if (statement.Contains("@anchor", StringComparison.Ordinal))
        {
            command.Parameters.Add(new SqlParameter("@anchor", SqlDbType.DateTime2) { Value = settings.Events.Anchor });
        }

        if (isCount)
        {
            return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await ResultSets.ReadAllAsync(reader, cancellationToken);
    }

    public ErrorKind Classify(Exception error) => error switch
    {
        SqlException { Number: -2 } or TimeoutException or OperationCanceledException => ErrorKind.Timeout,
        SqlException { Number: 102 or 207 or 208 or 245 or 8114 or 13807 or 16513 } => ErrorKind.Client,
        SqlException { Number: -1 or 2 or 53 or 64 or 121 or 233 or 4060 or 10053 or 10054 or 10060 or 10061 or 18456 or 40613 } => ErrorKind.Connection,
        SqlException => ErrorKind.Server,
        SocketException or IOException or InvalidOperationException => ErrorKind.Connection,
        _ => ErrorKind.Other,
    };

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
