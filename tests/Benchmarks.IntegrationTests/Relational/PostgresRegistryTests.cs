using System.Globalization;
using Benchmarks.Core.Stores;
using Benchmarks.Core.Workload;
using Benchmarks.UnitTests.Cli;
using Benchmarks.Stores.Relational.Registry;
using Npgsql;

namespace Benchmarks.IntegrationTests.Relational;

/// <summary>The model registry against a real PostgreSQL: every operation, its effect checked in the database.</summary>
public sealed class PostgresRegistryTests(PostgresCluster cluster) : IClassFixture<PostgresCluster>, IDisposable
{
    private const int Rows = 400;
    private const int Versions = 4;

    /// <summary>A short run in a fresh process: the first second is JIT, so the generator's self-check is relaxed as in the other CLI tests.</summary>
    private const string Relaxed = "{ executor: constant-arrival-rate, rate: 200/s, duration: 1s, warmup: 1s, selfCheck: { maxLagShareOfP99: 1, maxSchedulingLagP99: 50ms } }";

    private readonly Runs _runs = new(new StoreCatalog([RegistryDriverFactory.Postgres]));

    public void Dispose() => _runs.Dispose();

    private static string Scenario(string connection, string mix, string load = "{ executor: constant-concurrency, concurrency: 4, duration: 1s }",
        string distribution = "uniform", string extra = "") => $"""
        name: pg
        seed: 11
        store: {"{"} kind: postgres, connection: "{connection}", poolSize: 8, registry: {"{"} versionsPerModel: {Versions}, metadataBytes: 300, tagsPerModel: 3 {"}"} {"}"}
        data: {"{"} keys: {Rows}, keyPrefix: "m-", preloadBatch: 150 {"}"}
        workload:
          distribution: {distribution}
          mix: {mix}
        load: {load}
        {extra}
        """;

    /// <summary>A connected, preloaded driver and the operations of <paramref name="mix"/>, as the runner makes them.</summary>
    private async Task<(IStoreDriver Driver, WorkloadContext Workload, IReadOnlyList<IStoreOperation> Operations, RegistryModel Model)> OpenAsync(string mix, string distribution = "sequential")
    {
        var scenario = _runs.Load(Scenario(cluster.Require(), mix, distribution: distribution));
        var driver = RegistryDriverFactory.Postgres.Create(scenario.Store.Settings);
        await driver.ConnectAsync(TestContext.Current.CancellationToken);
        var workload = new WorkloadContext(scenario.Seed, scenario.Data.KeyPrefix, scenario.Workload.Distribution.Create(scenario.Data.Keys),
            new ValueGenerator(scenario.Data.Value, scenario.Seed));
        var operations = scenario.Workload.Mix.Select(m => driver.CreateOperation(m, workload)).ToList();
        await ((IPreloadingDriver)driver).PreloadAsync(workload, scenario.Data, new Progress<long>(), TestContext.Current.CancellationToken);
        var model = new RegistryModel(scenario.Seed, "m-", new RegistryShape(Versions, 300, 3));
        return (driver, workload, operations, model);
    }

    private async Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(cluster.Require());
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return (T)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    private static ValueTask Run(IStoreOperation operation, long sequence) =>
        operation.ExecuteAsync(new OperationRandom(11, sequence), sequence, TestContext.Current.CancellationToken);

    [Fact]
    public async Task The_preload_writes_the_model_rows_with_their_indexes()
    {
        var (driver, _, _, model) = await OpenAsync("[ { op: lookup } ]");
        await using var _d = driver;

        Assert.Equal(Rows, await ScalarAsync<long>("SELECT count(*) FROM model_registry"));
        Assert.Equal(Rows / Versions, await ScalarAsync<long>("SELECT count(DISTINCT model_name) FROM model_registry"));
        var row = model.Row(13);
        Assert.Equal(row.Status, await ScalarAsync<string>("SELECT status FROM model_registry WHERE model_name = @n AND version = @v", ("n", row.ModelName), ("v", row.Version)));
        Assert.Equal(row.Owner, await ScalarAsync<string>("SELECT owner FROM model_registry WHERE model_id = @id", ("id", row.ModelId)));
        // Metadata is jsonb: its keys can be queried.
        Assert.Equal((long)Rows, await ScalarAsync<long>("SELECT count(*) FROM model_registry WHERE metadata->'lineage' ? 'dataset'"));
        Assert.Equal(4L, await ScalarAsync<long>("SELECT count(*) FROM pg_indexes WHERE tablename = 'model_registry'"));
        // Every status of the check constraint is present, none other.
        Assert.Equal(4L, await ScalarAsync<long>("SELECT count(DISTINCT status) FROM model_registry"));
    }

    [Fact]
    public async Task Lookup_latest_and_list_by_status_run_and_their_statements_find_the_right_rows()
    {
        var (driver, _, operations, model) = await OpenAsync(
            "[ { op: lookup }, { op: latest }, { op: list-by-status, status: staging, pageSize: 7, pages: 3 } ]");
        await using var _d = driver;
        foreach (var operation in operations)
        {
            for (var i = 0; i < 20; i++)
            {
                await Run(operation, i);
            }
        }

        // The statements the operations ran, with the arguments they use, answer what a registry user expects.
        var statements = ((RegistryDriver)driver).Dialect.Statements;
        var expectedLatest = Enumerable.Range(0, Versions).Select(v => model.Row(8 + v)).Where(r => r.Status == "production").MaxBy(r => r.CreatedAt);
        await using var connection = new NpgsqlConnection(cluster.Require());
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using (var latest = new NpgsqlCommand(statements.Latest, connection))
        {
            latest.Parameters.AddWithValue("name", model.ModelName(2));
            await using var reader = await latest.ExecuteReaderAsync(TestContext.Current.CancellationToken);
            Assert.Equal(expectedLatest is not null, await reader.ReadAsync(TestContext.Current.CancellationToken));
            if (expectedLatest is not null)
            {
                Assert.Equal(expectedLatest.Version, reader.GetString(2));
            }
        }

        await using (var page = new NpgsqlCommand(statements.ListByStatus, connection))
        {
            page.Parameters.AddWithValue("status", "staging");
            page.Parameters.AddWithValue("offset", 7L);
            page.Parameters.AddWithValue("limit", 7L);
            await using var reader = await page.ExecuteReaderAsync(TestContext.Current.CancellationToken);
            var ids = new List<Guid>();
            while (await reader.ReadAsync(TestContext.Current.CancellationToken))
            {
                Assert.Equal("staging", reader.GetString(3));
                ids.Add(reader.GetGuid(0));
            }

            var expected = Enumerable.Range(0, Rows).Select(i => model.Row(i)).Where(r => r.Status == "staging")
                .Select(r => r.ModelId).Order(Comparer<Guid>.Create(ComparePostgresUuid)).Skip(7).Take(7);
            Assert.Equal(expected, ids);
        }
    }

    /// <summary>PostgreSQL orders uuids by their bytes in RFC order.</summary>
    private static int ComparePostgresUuid(Guid a, Guid b) =>
        a.ToByteArray(bigEndian: true).AsSpan().SequenceCompareTo(b.ToByteArray(bigEndian: true));

    [Fact]
    public async Task A_promoted_version_is_what_latest_finds()
    {
        // Sequential keys: operation n works on row n. Row 4k+3 is the newest version of model k.
        var (driver, _, operations, model) = await OpenAsync("[ { op: promote, to: production } ]");
        await using var _d = driver;
        var newest = Enumerable.Range(0, Rows / Versions).Select(k => (long)(k * Versions) + Versions - 1)
            .First(i => model.Row(i).Status != "production");
        var row = model.Row(newest);

        await Run(operations[0], newest);

        Assert.Equal("production", await ScalarAsync<string>("SELECT status FROM model_registry WHERE model_id = @id", ("id", row.ModelId)));
        Assert.True(await ScalarAsync<DateTime>("SELECT updated_at FROM model_registry WHERE model_id = @id", ("id", row.ModelId)) > DateTime.UtcNow.AddMinutes(-5));
        await using var connection = new NpgsqlConnection(cluster.Require());
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var latest = new NpgsqlCommand(((RegistryDriver)driver).Dialect.Statements.Latest, connection);
        latest.Parameters.AddWithValue("name", row.ModelName);
        await using var reader = await latest.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        Assert.True(await reader.ReadAsync(TestContext.Current.CancellationToken));
        Assert.Equal(row.Version, reader.GetString(2));
    }

    [Fact]
    public async Task Register_inserts_new_draft_versions()
    {
        var (driver, _, operations, _) = await OpenAsync("[ { op: register } ]");
        await using var _d = driver;
        for (var i = 0; i < 25; i++)
        {
            await Run(operations[0], i);
        }

        Assert.Equal(Rows + 25L, await ScalarAsync<long>("SELECT count(*) FROM model_registry"));
        Assert.Equal(25L, await ScalarAsync<long>("SELECT count(*) FROM model_registry WHERE status = 'draft' AND version LIKE '2.%'"));
        // The metadata went in as jsonb, searchable by key.
        Assert.Equal(25L, await ScalarAsync<long>("SELECT count(*) FROM model_registry WHERE version LIKE '2.%' AND metadata ? 'metrics'"));
    }

    [Fact]
    public async Task Tag_search_finds_exactly_the_models_with_every_word()
    {
        var (driver, _, operations, model) = await OpenAsync("[ { op: search-tags, terms: 2, limit: 1000 } ]");
        await using var _d = driver;
        await Run(operations[0], 0);

        var dialect = ((RegistryDriver)driver).Dialect;
        var all = Enumerable.Range(0, Rows).Select(i => model.Row(i)).ToList();
        // A pair of words that some rows share, from the data set itself.
        var words = all[0].Tags.Split(' ').Take(2).ToArray();
        var expected = all.Where(r => words.All(w => r.Tags.Split(' ').Contains(w))).Select(r => r.ModelId).Order().ToList();
        Assert.NotEmpty(expected);

        await using var connection = new NpgsqlConnection(cluster.Require());
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var search = new NpgsqlCommand(dialect.Statements.SearchTags, connection);
        search.Parameters.AddWithValue("query", dialect.SearchQuery(words));
        search.Parameters.AddWithValue("limit", 1000L);
        var found = new List<Guid>();
        await using (var reader = await search.ExecuteReaderAsync(TestContext.Current.CancellationToken))
        {
            while (await reader.ReadAsync(TestContext.Current.CancellationToken))
            {
                found.Add(reader.GetGuid(0));
            }
        }

        Assert.Equal(expected, found.Order().ToList());
    }

    [Fact]
    public async Task The_sql_operation_binds_parameters_from_the_workload()
    {
        var (driver, _, operations, model) = await OpenAsync("""
            [ { op: sql, statement: "UPDATE model_registry SET owner = @owner WHERE model_name = @name AND version = @version", parameters: { owner: "sql-op", name: "{model.name}", version: "{model.version}" } } ]
            """);
        await using var _d = driver;
        for (var i = 0; i < 10; i++)
        {
            await Run(operations[0], i);
        }

        Assert.Equal(10L, await ScalarAsync<long>("SELECT count(*) FROM model_registry WHERE owner = 'sql-op'"));
        Assert.Equal("sql-op", await ScalarAsync<string>("SELECT owner FROM model_registry WHERE model_id = @id", ("id", model.Row(9).ModelId)));
    }

    [Fact]
    public async Task A_second_window_registers_versions_of_its_own_instead_of_replaying_the_first()
    {
        // Two capacity steps (an inconclusive window measured again runs the same way): each window's operations draw
        // from their own stream, so the second does not re-insert the first's model ids and fail on its own writes.
        // No warm-up: a warm-up would take the replayed operations out of the measured window.
        var scenario = _runs.Load(Scenario(cluster.Require(), "[ { op: register } ]",
            "{ executor: capacity-search, startRate: 100/s, growth: 2, maxSteps: 2, duration: 1s }", extra: "sla: [ \"errors < 0.1%\" ]"));

        var outcome = await _runs.RunAsync(scenario, TestContext.Current.CancellationToken);

        var steps = outcome.Result.Capacity!.Steps;
        Assert.Equal(2, steps.Count);
        Assert.All(steps, s => Assert.True(s.Errors == 0, $"step {s.Index}: {s.Errors} errors ({string.Join("; ", s.Reasons)})"));
        Assert.All(steps, s => Assert.True(s.AchievedRatePerSecond > 50, $"step {s.Index}: {s.AchievedRatePerSecond}/s"));
    }

    [Fact]
    public async Task Every_operation_runs_under_load_and_constraint_violations_are_counted_by_kind()
    {
        var connection = cluster.Require();
        const string Mix = """
            [ { op: lookup, weight: 4 }, { op: latest, weight: 2 }, { op: list-by-status, weight: 1 }, { op: register, weight: 1 },
              { op: promote, weight: 1 }, { op: search-tags, weight: 1 },
              { op: sql, name: duplicate, weight: 1, statement: "INSERT INTO model_registry (model_id, model_name, version, status) VALUES (gen_random_uuid(), @name, @version, 'draft')", parameters: { name: "{model.name}", version: "{model.version}" } },
              { op: sql, name: bad-status, weight: 1, statement: "INSERT INTO model_registry (model_id, model_name, version, status) VALUES (gen_random_uuid(), 'x', @v, 'retired')", parameters: { v: "{row.index}" } } ]
            """;
        var scenario = _runs.Load(Scenario(connection, Mix, "{ executor: constant-arrival-rate, rate: 300/s, duration: 2s, warmup: 1s, maxLag: 5s }", "zipfian(0.9)",
            extra: "sla: [ \"lookup.errors < 0.1%\" ]"));

        var outcome = await _runs.RunAsync(scenario, TestContext.Current.CancellationToken);

        var r = outcome.Result;
        Assert.Equal(8, r.Operations.Count);
        // Every scheduled operation is accounted for (a VM stall may drop some past maxLag; they are not lost).
        Assert.True(600 == r.Load.Scheduled, $"{r.Status}: {string.Join("; ", r.StatusReasons)} {r.Load}");
        // Count is what succeeded; errors are counted beside it.
        Assert.Equal(600, r.Total.Count + r.Total.Errors.Total + r.Load.Dropped + r.Load.Unfinished);
        Assert.True(r.Load.Completed > 500, $"completed {r.Load.Completed}");
        foreach (var op in r.Operations)
        {
            Assert.True(op.Count + op.Errors.Total > 10, $"{op.Name}: {op.Count}");
        }

        foreach (var name in (string[])["lookup", "latest", "list-by-status", "register", "promote", "search-tags"])
        {
            var op = r.Operations.Single(o => o.Name == name);
            Assert.True(op.Errors.Total == 0, $"{name}: {string.Join(", ", op.Errors.ByKind.Where(k => k.Value > 0))}");
            Assert.True(op.Latency.Corrected.P50 > 0, name);
        }

        // Duplicates of preloaded (name, version) pairs and a status outside the check: constraint errors, every one.
        foreach (var name in (string[])["duplicate", "bad-status"])
        {
            var op = r.Operations.Single(o => o.Name == name);
            Assert.Equal(0, op.Count);
            Assert.True(op.Errors.Total > 10, $"{name}: {op.Errors.Total}");
            Assert.Equal(op.Errors.Total, op.Errors.ByKind["constraint"]);
        }

        Assert.Equal("postgres", r.Environment.Server);
        Assert.StartsWith("15", r.Environment.ServerVersion ?? "", StringComparison.Ordinal);
        Assert.Equal("Npgsql", r.Environment.ClientLibrary);
        Assert.True(r.Sla.Single(s => s.Threshold == "lookup.errors < 0.1%").Passed);
    }

    [Fact]
    public async Task The_cli_starts_a_local_cluster_runs_and_removes_it_and_keeps_the_password_out()
    {
        var directory = Directory.CreateTempSubdirectory("bench-it-pg-cli-").FullName;
        try
        {
            _ = cluster.Require();
            var before = Directory.GetDirectories(Path.GetTempPath(), "bench-pg-*").Length;
            var file = Path.Combine(directory, "local.yaml");
            await File.WriteAllTextAsync(file, Scenario("local", "[ { op: lookup } ]", Relaxed),
                TestContext.Current.CancellationToken);
            var (code, output, err) = await CliHarness.RunAsync("run", file, "--out", Path.Combine(directory, "out"));
            Assert.True(code == 0, output + err);
            Assert.Contains("local postgres", output, StringComparison.Ordinal);
            Assert.Equal(before, Directory.GetDirectories(Path.GetTempPath(), "bench-pg-*").Length);

            // A password in a connection string (trust auth ignores it) never reaches output or files.
            var secret = "Sup3r-Secret-" + Guid.NewGuid().ToString("N")[..8];
            var withPassword = new NpgsqlConnectionStringBuilder(cluster.Require()) { Password = secret }.ConnectionString;
            await File.WriteAllTextAsync(file, Scenario(withPassword, "[ { op: lookup } ]", Relaxed),
                TestContext.Current.CancellationToken);
            (code, output, err) = await CliHarness.RunAsync("run", file, "--out", Path.Combine(directory, "out2"));
            Assert.True(code == 0, output + err);
            Assert.DoesNotContain(secret, output + err, StringComparison.Ordinal);
            foreach (var written in Directory.GetFiles(Path.Combine(directory, "out2"), "*", SearchOption.AllDirectories))
            {
                Assert.DoesNotContain(secret, await File.ReadAllTextAsync(written, TestContext.Current.CancellationToken), StringComparison.Ordinal);
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task An_unreachable_server_exits_3_with_a_clear_message_within_the_connect_timeout()
    {
        var directory = Directory.CreateTempSubdirectory("bench-it-pg-down-").FullName;
        try
        {
            var port = Benchmarks.Core.Stores.LocalServerProcess.FreeLoopbackPort();
            var file = Path.Combine(directory, "down.yaml");
            await File.WriteAllTextAsync(file, Scenario(string.Create(CultureInfo.InvariantCulture, $"Host=127.0.0.1;Port={port};Username=u;Password=hunter2;Database=d"), "[ { op: lookup } ]")
                .Replace("poolSize: 8", "poolSize: 8, connectTimeout: 2s", StringComparison.Ordinal), TestContext.Current.CancellationToken);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var (code, output, err) = await CliHarness.RunAsync("run", file, "--out", Path.Combine(directory, "out"));
            Assert.Equal(3, code);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), clock.Elapsed.ToString());
            Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"cannot connect to postgres at 127.0.0.1:{port}"), output + err, StringComparison.Ordinal);
            Assert.DoesNotContain("hunter2", output + err, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
