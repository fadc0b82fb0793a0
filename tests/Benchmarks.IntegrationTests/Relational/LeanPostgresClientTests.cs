using System.Globalization;
using System.Text.Json;
using Benchmarks.Core.Sockets;
using Benchmarks.Core.Stores;
using Benchmarks.Stores.Relational.Postgres;
using Benchmarks.Stores.Relational.Postgres.Lean;
using Benchmarks.Stores.Relational.Registry;
using Benchmarks.UnitTests.Cli;
using Npgsql;

namespace Benchmarks.IntegrationTests.Relational;

/// <summary>
/// <c>client: lean</c> for PostgreSQL against a real server: every registry operation leaves the same rows as through
/// Npgsql and reads the same values; a server that dies mid-run is counted as errors; an overdue call is a timeout;
/// SCRAM, MD5 and cleartext passwords are spoken and a refused one is exit 3 without the password; TLS is spoken and
/// verified when asked.
/// </summary>
public sealed class LeanPostgresClientTests(PostgresCluster cluster) : IClassFixture<PostgresCluster>, IDisposable
{
    private const string AllOperations = """
        [ { op: lookup, weight: 3 }, { op: latest }, { op: list-by-status, pages: 3, pageSize: 7 }, { op: register }, { op: promote, to: staging },
          { op: search-tags, terms: 2, limit: 5 }, { op: sql, statement: "SELECT count(*) FROM model_registry WHERE model_name = @n AND version <> @v AND @one = 1", parameters: { n: "{model.name}", v: "{model.version}", one: "1" } } ]
        """;

    private readonly Runs _runs = new(new StoreCatalog([RegistryDriverFactory.Postgres]));

    public void Dispose() => _runs.Dispose();

    private static string Scenario(string connection, string load, string mix = "[ { op: lookup } ]", string extra = "") => $"""
        name: lean-pg
        seed: 5
        store: {"{"} kind: postgres, connection: "{connection}", poolSize: 4, registry: {"{"} versionsPerModel: 4, metadataBytes: 300, tagsPerModel: 3 {"}"} {"}"}
        data: {"{"} keys: 400, keyPrefix: "m-", preloadBatch: 150 {"}"}
        workload:
          distribution: uniform
          mix: {mix}
        load: {load.TrimEnd().TrimEnd('}')}, {Runs.RelaxedSelfCheck} {"}"}
        {extra}
        """;

    [Fact]
    public async Task Every_operation_leaves_the_same_rows_and_reads_the_same_values_as_through_npgsql()
    {
        var server = cluster.Require();
        var throughNpgsql = await DatabaseAsync(server, "through_npgsql");
        var throughLean = await DatabaseAsync(server, "through_lean");
        // One operation at a time, the same seed and sequence numbers: both clients issue the same statements with the same values in the same order.
        const string load = "{ executor: constant-arrival-rate, rate: 300/s, operations: 700, maxInFlight: 1 }";
        var npgsql = (await _runs.RunAsync(_runs.Load(Scenario(throughNpgsql, load, AllOperations)), TestContext.Current.CancellationToken)).Result;
        var lean = (await _runs.RunAsync(_runs.Load(Scenario(throughLean, load, AllOperations), "store.client=lean"), TestContext.Current.CancellationToken)).Result;

        Assert.Equal("Npgsql", npgsql.Environment.ClientLibrary);
        Assert.Equal("bench lean PostgreSQL", lean.Environment.ClientLibrary);
        Assert.Equal(npgsql.Operations.Select(o => (o.Name, o.Count)), lean.Operations.Select(o => (o.Name, o.Count)));
        Assert.All(lean.Operations, o => Assert.True(o.Errors.Total == 0, $"{o.Name}: {string.Join(", ", o.Errors.ByKind)}"));
        Assert.All(npgsql.Operations, o => Assert.True(o.Errors.Total == 0, $"{o.Name}: {string.Join(", ", o.Errors.ByKind)}"));
        Assert.Equal(700, lean.Total.Count);

        // The same rows: registered versions carry each run's own stamp ("2.<run>.<n>"), which is set aside.
        const string rows = "SELECT model_id, model_name, regexp_replace(version, '^2\\.[0-9]+\\.', '2.run.'), status, metadata::text, owner, tags FROM model_registry ORDER BY model_id";
        var expected = await RowsAsync(throughNpgsql, rows);
        Assert.True(expected.Count > 400, $"registered rows are among them: {expected.Count}");
        Assert.Contains(expected, r => r[3] == "staging");
        Assert.Equal(expected, await RowsAsync(throughLean, rows));

        // The same values read: each statement of the registry through the lean connection and through Npgsql.
        var statements = new PostgresDialect(new RegistrySettings("local", RegistryAuthentication.ConnectionString, 1, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5), true, new RegistryShape(4, 300, 3))).Statements;
        var endpoint = LeanPgEndpoint.From(throughLean, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));
        var production = (await RowsAsync(throughLean, "SELECT model_name FROM model_registry WHERE status = 'production' ORDER BY model_name LIMIT 1"))[0][0];
        // Read by a poller (the run's way on Linux) and by the runtime's asynchronous sockets (TLS, other systems).
        using var poller = LeanPoller.Start(0);
        foreach (var readBy in new[] { poller, null })
        {
            using var connection = await LeanPgConnection.ConnectAsync(endpoint, prepare: true, readBy, TestContext.Current.CancellationToken);
            connection.CapturedRows = [];
            foreach (var (sql, names, values) in new (string, string[], string?[])[]
            {
                (statements.Lookup, ["name", "version"], ["m-3", "1.2.0"]),
                (statements.Latest, ["name"], [production]),
                (statements.ListByStatus, ["status", "offset", "limit"], ["production", "3", "10"]),
                (statements.SearchTags, ["query", "limit"], [RegistryModel.TagWords[0], "50"]),
            })
            {
                // Twice: the first call prepares the statement on the connection, the second runs the prepared one.
                for (var call = 0; call < 2; call++)
                {
                    connection.CapturedRows.Clear();
                    var count = await RunAsync(connection, new LeanPgStatement(sql, names), [.. values.Select(v => (PgText)v)]);
                    var viaNpgsql = await NpgsqlRowsAsync(throughLean, sql, names, values);
                    Assert.True(viaNpgsql.Count > 0, $"{sql} finds rows");
                    Assert.Equal(viaNpgsql.Count, count);
                    Assert.Equal(viaNpgsql, connection.CapturedRows.Select(r => r.Select(v => v ?? "NULL").ToList()).ToList());
                }
            }

            // A statement's error is the server's, by its SQLSTATE, and the connection answers the next call.
            var bad = await Assert.ThrowsAsync<LeanPgServerException>(async () => await RunAsync(connection, new LeanPgStatement("SELECT * FROM no_such_table WHERE a = @a", ["a"]), ["1"]));
            Assert.Equal("42P01", bad.SqlState);
            connection.CapturedRows.Clear();
            Assert.Equal(1, await RunAsync(connection, new LeanPgStatement(statements.Lookup, ["name", "version"]), ["m-3", "1.2.0"]));
            // A model's name as the runs send it: its prefix and number written into the message, no string made.
            Assert.Equal(1, await RunAsync(connection, new LeanPgStatement(statements.Lookup, ["name", "version"]), [PgText.Numbered("m-", 3), "1.2.0"]));
            Assert.True(connection.IsReusable);
        }
    }

    [Fact]
    public async Task A_server_that_dies_mid_run_is_counted_as_errors_and_the_run_ends()
    {
        if (LocalPostgres.FindBinaries() is null)
        {
            cluster.Require();
        }

        var server = await LocalPostgres.StartAsync(TestContext.Current.CancellationToken);
        var scenario = _runs.Load(Scenario(server.ConnectionString, "{ executor: constant-arrival-rate, rate: 300/s, duration: 4s, drainTimeout: 10s }",
            extra: "sla: [ \"errors < 0.1%\" ]"),
            "store.client=lean", "store.connectTimeout=1s", "store.commandTimeout=2s");
        var run = _runs.RunAsync(scenario, TestContext.Current.CancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(1.5) + TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        await server.DisposeAsync();

        var r = (await run).Result;
        Assert.Equal("bench lean PostgreSQL", r.Environment.ClientLibrary);
        Assert.True(r.Total.Count > 200, $"before the kill: {r.Total.Count}");
        Assert.True(r.Total.Errors.Total > 100, $"after the kill: {r.Total.Errors.Total}");
        Assert.Equal(r.Total.Errors.Total, r.Total.Errors.ByKind["connection"] + r.Total.Errors.ByKind["timeout"]);
        Assert.Equal(0, r.Load.Unfinished);
        Assert.Equal("failed", r.Status);
    }

    [Fact]
    public async Task A_call_past_the_command_timeout_fails_as_a_timeout_without_waiting_for_the_server()
    {
        var scenario = _runs.Load(Scenario(await DatabaseAsync(cluster.Require(), "timeouts"), "{ executor: constant-arrival-rate, rate: 4/s, operations: 4, maxInFlight: 4 }",
            "[ { op: sql, statement: \"SELECT pg_sleep(@seconds)\", parameters: { seconds: \"3\" } } ]"), "store.client=lean", "store.commandTimeout=1s");
        var r = (await _runs.RunAsync(scenario, TestContext.Current.CancellationToken)).Result;

        Assert.Equal(4, r.Total.Errors.ByKind["timeout"]);
        Assert.Equal(4, r.Total.Errors.Total);
        // The watchdog closed the calls after a second (it looks every 100 ms); the server would have answered after three.
        Assert.InRange(r.DurationSeconds, 0.9, 2.5);
    }

    [Fact]
    public async Task Scram_md5_and_cleartext_passwords_are_spoken_and_a_refused_one_is_exit_3_without_the_password()
    {
        if (LocalPostgres.FindBinaries() is null)
        {
            cluster.Require();
        }

        const string password = "Lean-Pa55word-1";
        await using var server = await LocalPostgres.StartAsync(TestContext.Current.CancellationToken);
        var withPassword = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Password = password }.ConnectionString;
        string hba;
        await using (var admin = new NpgsqlConnection(server.ConnectionString))
        {
            await admin.OpenAsync(TestContext.Current.CancellationToken);
            hba = (string)(await new NpgsqlCommand("SHOW hba_file", admin).ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
        }

        var endpoint = LeanPgEndpoint.From(withPassword, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));
        foreach (var (method, encryption) in new[] { ("scram-sha-256", "scram-sha-256"), ("md5", "md5"), ("password", "scram-sha-256") })
        {
            await RequireAsync(withPassword, hba, method, encryption, password);
            using var connection = await LeanPgConnection.ConnectAsync(endpoint, prepare: true, poller: null, TestContext.Current.CancellationToken);
            Assert.Equal(1, await RunAsync(connection, new LeanPgStatement("SELECT @a::int", ["a"]), ["1"]));
            var refused = await Assert.ThrowsAsync<LeanPgServerException>(() =>
                LeanPgConnection.ConnectAsync(endpoint with { Password = "wrong-" + password }, prepare: true, poller: null, TestContext.Current.CancellationToken));
            Assert.Equal("28P01", refused.SqlState);
        }

        var folder = Directory.CreateTempSubdirectory("bench-lean-pg-auth-");
        try
        {
            var wrong = "Wr0ng-Secret-" + Guid.NewGuid().ToString("N")[..8];
            var file = Path.Combine(folder.FullName, "auth.yaml");
            await File.WriteAllTextAsync(file, Scenario(new NpgsqlConnectionStringBuilder(server.ConnectionString) { Password = wrong }.ConnectionString,
                "{ executor: constant-arrival-rate, rate: 100/s, duration: 1s }").Replace("poolSize: 4", "poolSize: 4, client: lean", StringComparison.Ordinal), TestContext.Current.CancellationToken);
            var (code, output, err) = await CliHarness.RunAsync("run", file, "--out", Path.Combine(folder.FullName, "out"));
            Assert.Equal(3, code);
            Assert.Contains("through the lean client", output + err, StringComparison.Ordinal);
            Assert.Contains("28P01", output + err, StringComparison.Ordinal);
            Assert.DoesNotContain(wrong, output + err, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Over_tls_the_session_is_encrypted_an_untrusted_certificate_is_refused_when_verified_and_a_run_errs_nowhere()
    {
        if (LocalPostgres.FindBinaries() is null)
        {
            cluster.Require();
        }

        await using var server = await LocalPostgres.StartAsync(TestContext.Current.CancellationToken);
        await using (var admin = new NpgsqlConnection(server.ConnectionString))
        {
            await admin.OpenAsync(TestContext.Current.CancellationToken);
            var data = (string)(await new NpgsqlCommand("SHOW data_directory", admin).ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
            // A self-signed certificate for this test only, owned as the data folder is (the server refuses a key others can read).
            using var key = System.Security.Cryptography.RSA.Create(2048);
            var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=localhost", key,
                System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            var (certificateFile, keyFile) = (Path.Combine(data, "bench-test.crt"), Path.Combine(data, "bench-test.key"));
            await File.WriteAllTextAsync(certificateFile, certificate.ExportCertificatePem(), TestContext.Current.CancellationToken);
            await File.WriteAllTextAsync(keyFile, key.ExportPkcs8PrivateKeyPem(), TestContext.Current.CancellationToken);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            using (var chown = System.Diagnostics.Process.Start("chown", ["--reference=" + data, certificateFile, keyFile]))
            {
                await chown.WaitForExitAsync(TestContext.Current.CancellationToken);
                Assert.Equal(0, chown.ExitCode);
            }

            var loaded = (DateTime)(await new NpgsqlCommand("SELECT pg_conf_load_time()", admin).ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
            await new NpgsqlCommand($"ALTER SYSTEM SET ssl_cert_file = '{certificateFile}'; ALTER SYSTEM SET ssl_key_file = '{keyFile}'; ALTER SYSTEM SET ssl = on", admin)
                .ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
            await new NpgsqlCommand("SELECT pg_reload_conf()", admin).ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
            await WaitForReloadAsync(server.ConnectionString, loaded);
        }

        var encrypted = LeanPgEndpoint.From(server.ConnectionString + ";SSL Mode=Require", TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));
        // A poller offered: a TLS session is read by the runtime's sockets instead.
        using var poller = LeanPoller.Start(0);
        using (var connection = await LeanPgConnection.ConnectAsync(encrypted, prepare: true, poller, TestContext.Current.CancellationToken))
        {
            connection.CapturedRows = [];
            Assert.Equal(1, await RunAsync(connection, new LeanPgStatement("SELECT ssl::text FROM pg_stat_ssl WHERE pid = pg_backend_pid() AND 1 = @one", ["one"]), ["1"]));
            Assert.Equal("true", connection.CapturedRows.Single()[0]);
        }

        await Assert.ThrowsAsync<System.Security.Authentication.AuthenticationException>(() =>
            LeanPgConnection.ConnectAsync(encrypted with { Tls = LeanPgTls.VerifyFull }, prepare: true, poller, TestContext.Current.CancellationToken));

        var r = (await _runs.RunAsync(_runs.Load(Scenario(server.ConnectionString + ";SSL Mode=Require", "{ executor: constant-concurrency, concurrency: 4, duration: 2s }", AllOperations),
            "store.client=lean"), TestContext.Current.CancellationToken)).Result;
        Assert.Equal("bench lean PostgreSQL", r.Environment.ClientLibrary);
        Assert.True(r.Total.Count > 100, r.Total.Count.ToString(CultureInfo.InvariantCulture));
        Assert.True(r.Total.Errors.Total == 0, string.Join(", ", r.Total.Errors.ByKind));
    }

    [Fact]
    public async Task Client_overhead_compares_npgsql_with_the_lean_client()
    {
        var folder = Directory.CreateTempSubdirectory("bench-pg-client-overhead-");
        try
        {
            var file = Path.Combine(folder.FullName, "overhead.yaml");
            await File.WriteAllTextAsync(file, Scenario(await DatabaseAsync(cluster.Require(), "overhead"), "{ executor: constant-arrival-rate, rate: 500/s, duration: 2s, warmup: 1s }"),
                TestContext.Current.CancellationToken);
            var output = Path.Combine(folder.FullName, "out");
            var run = await CliHarness.RunAsync("client-overhead", file, "--rounds", "2", "--out", output);
            Assert.True(run.Code == 0, run.Out + run.Err);

            Assert.Contains("\"clientLibrary\": \"Npgsql\"", File.ReadAllText(Path.Combine(output, "round-1", "npgsql", "result.json")), StringComparison.Ordinal);
            Assert.Contains("\"clientLibrary\": \"bench lean PostgreSQL\"", File.ReadAllText(Path.Combine(output, "round-1", "lean", "result.json")), StringComparison.Ordinal);
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "client-overhead.json"), TestContext.Current.CancellationToken));
            var p99 = json.RootElement.GetProperty("percentiles").EnumerateArray().Single(p => p.GetProperty("percentile").GetString() == "p99");
            Assert.Equal(p99.GetProperty("clientMs").GetDouble() - p99.GetProperty("baselineMs").GetDouble(), p99.GetProperty("differenceMs").GetDouble(), 3);
            Assert.Contains("through npgsql", await File.ReadAllTextAsync(Path.Combine(output, "client-overhead.md"), TestContext.Current.CancellationToken), StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>A fresh database on the cluster (dropped first if a previous test run left it); its connection string.</summary>
    private static async Task<string> DatabaseAsync(string server, string name)
    {
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync(TestContext.Current.CancellationToken);
            await new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", admin).ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
            await new NpgsqlCommand($"CREATE DATABASE {name}", admin).ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        return new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    private static async Task<long> RunAsync(LeanPgConnection connection, LeanPgStatement statement, PgText[] values)
    {
        connection.Bind(statement, values);
        return await connection.RunAsync();
    }

    /// <summary>Every row as text, each value as PostgreSQL prints it (NULL for null).</summary>
    private static async Task<List<List<string>>> RowsAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var reader = await new NpgsqlCommand(sql, connection).ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var rows = new List<List<string>>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            rows.Add([.. Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "NULL" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture)!)]);
        }

        return rows;
    }

    /// <summary>A registry statement through Npgsql, each value as text the way PostgreSQL prints it, for comparison with the lean client's bytes.</summary>
    private static async Task<List<List<string>>> NpgsqlRowsAsync(string connectionString, string sql, string[] names, string?[] values)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        for (var i = 0; i < names.Length; i++)
        {
            command.Parameters.AddWithValue(names[i], long.TryParse(values[i], CultureInfo.InvariantCulture, out var n) ? n : values[i]!);
        }

        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var rows = new List<List<string>>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            rows.Add([.. Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "NULL" : reader.GetValue(i) switch
            {
                // PostgreSQL prints timestamptz in the session's zone (UTC on the throwaway cluster), microseconds only when there are some.
                DateTime t => t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)
                    + (t.Ticks % TimeSpan.TicksPerSecond == 0 ? "" : "." + (t.Ticks % TimeSpan.TicksPerSecond / 10).ToString("000000", CultureInfo.InvariantCulture).TrimEnd('0')) + "+00",
                var v => Convert.ToString(v, CultureInfo.InvariantCulture)!,
            })]);
        }

        return rows;
    }

    /// <summary>Makes TCP connections to <paramref name="hba"/>'s cluster authenticate by <paramref name="method"/>, the password stored as <paramref name="encryption"/>.</summary>
    private static async Task RequireAsync(string withPassword, string hba, string method, string encryption, string password)
    {
        await using var admin = new NpgsqlConnection(withPassword);
        await admin.OpenAsync(TestContext.Current.CancellationToken);
        await new NpgsqlCommand($"SET password_encryption = '{encryption}'; ALTER USER postgres PASSWORD '{password}'", admin).ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(hba, $"local all all trust\nhost all all 127.0.0.1/32 {method}\nhost all all ::1/128 {method}\n", TestContext.Current.CancellationToken);
        var loaded = (DateTime)(await new NpgsqlCommand("SELECT pg_conf_load_time()", admin).ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
        await new NpgsqlCommand("SELECT pg_reload_conf()", admin).ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        await WaitForReloadAsync(withPassword, loaded);
    }

    /// <summary>The reload is signalled, not awaited: a new session's configuration load time shows when the server took it.</summary>
    private static async Task WaitForReloadAsync(string connectionString, DateTime loadedBefore)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            await using var probe = new NpgsqlConnection(connectionString);
            await probe.OpenAsync(TestContext.Current.CancellationToken);
            if ((DateTime)(await new NpgsqlCommand("SELECT pg_conf_load_time()", probe).ExecuteScalarAsync(TestContext.Current.CancellationToken))! > loadedBefore)
            {
                return;
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        Assert.Fail("the server did not reload its configuration within 5 s");
    }
}
