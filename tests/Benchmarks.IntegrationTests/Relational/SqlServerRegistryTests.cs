using System.Globalization;
using Benchmarks.Core.Stores;
using Benchmarks.UnitTests.Cli;
using Benchmarks.Stores.Relational.Registry;

namespace Benchmarks.IntegrationTests.Relational;

/// <summary>
/// SQL Server cannot run on these machines: here the driver's failure path is tested for real, and
/// where a Docker engine exists the registry suite runs against SQL Server in a container.
/// </summary>
public sealed class SqlServerRegistryTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("bench-it-sql-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string Scenario(string connection, string store = "") => $"""
        name: sql
        store: {"{"} kind: sqlserver, connection: "{connection}", connectTimeout: 3s{store} {"}"}
        data: {"{"} keys: 200, keyPrefix: "m-" {"}"}
        workload:
          mix: [ {"{"} op: lookup, weight: 3 {"}"}, {"{"} op: latest {"}"}, {"{"} op: register {"}"}, {"{"} op: promote {"}"} ]
        load: {"{"} executor: constant-arrival-rate, rate: 200/s, duration: 2s {"}"}
        sla: [ "errors < 0.1%" ]
        """;

    [Fact]
    public async Task An_unreachable_server_exits_3_with_a_clear_message_within_the_connect_timeout()
    {
        var port = LocalServerProcess.FreeLoopbackPort();
        var file = Path.Combine(_directory, "down.yaml");
        await File.WriteAllTextAsync(file, Scenario(string.Create(CultureInfo.InvariantCulture,
            $"Server=tcp:127.0.0.1,{port};Database=registry;User ID=bench;Password=hunter2;Encrypt=false")), TestContext.Current.CancellationToken);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (code, output, err) = await CliHarness.RunAsync("run", file, "--out", Path.Combine(_directory, "out"));

        Assert.Equal(3, code);
        // The connect timeout is 3 s; the harness adds its own bound of 5 s above it.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(12), clock.Elapsed.ToString());
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"cannot connect to sqlserver at tcp:127.0.0.1,{port}/registry"), output + err, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", output + err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_scenario_without_a_server_is_refused_before_it_runs()
    {
        var file = Path.Combine(_directory, "local.yaml");
        await File.WriteAllTextAsync(file, Scenario("local"), TestContext.Current.CancellationToken);

        var (code, _, err) = await CliHarness.RunAsync("validate", file);

        Assert.Equal(2, code);
        Assert.Contains("local.yaml:2:", err, StringComparison.Ordinal);
        Assert.Contains("sqlserver has no local server", err, StringComparison.Ordinal);
    }

    /// <summary>Needs a Docker engine (Testcontainers.MsSql): skipped with that reason where none runs, as on these machines.</summary>
    [Fact]
    public async Task The_registry_suite_runs_against_SQL_Server_in_a_container()
    {
        if (!Docker.EngineAvailable)
        {
            Assert.Skip(Docker.SkipReason);
        }

        await using var container = new Testcontainers.MsSql.MsSqlBuilder("mcr.microsoft.com/mssql/server:2022-latest").Build();
        await container.StartAsync(TestContext.Current.CancellationToken);
        using var runs = new Runs(new StoreCatalog([RegistryDriverFactory.SqlServer]));
        var scenario = runs.Load(Scenario(container.GetConnectionString().Replace("\"", "", StringComparison.Ordinal)));

        var outcome = await runs.RunAsync(scenario, TestContext.Current.CancellationToken);

        Assert.Equal(400, outcome.Result.Total.Count);
        Assert.All(outcome.Result.Operations, o => Assert.Equal(0, o.Errors.Total));
        Assert.Equal("Microsoft.Data.SqlClient", outcome.Result.Environment.ClientLibrary);
    }
}
