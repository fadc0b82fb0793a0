using System.Text.Json;
using Benchmarks.Core.Stores;
using Benchmarks.Core.Workload;
using Benchmarks.Stores.Relational.Registry;

namespace Benchmarks.UnitTests.Relational;

/// <summary>The relational stores' part of a scenario, and the registry data set they preload.</summary>
public sealed class RegistryScenarioTests
{
    private static string Scenario(string store, string mix = "[ { op: lookup } ]") => $"""
        name: r
        store: {store}
        data: {"{"} keys: 1000, keyPrefix: "m-" {"}"}
        workload:
          mix: {mix}
        load: {"{"} executor: constant-concurrency, concurrency: 2, duration: 1s {"}"}
        """;

    [Fact]
    public void A_postgres_scenario_reads_its_settings_and_operations()
    {
        var scenario = TestScenarios.Load(Scenario(
            "{ kind: postgres, connection: local, poolSize: 16, prepare: false, registry: { versionsPerModel: 5, metadataBytes: 200, tagsPerModel: 2 } }",
            "[ { op: list-by-status, status: staging, pageSize: 25, pages: 4 }, { op: promote, to: testing }, { op: search-tags, terms: 2, limit: 5 } ]"));

        var settings = Assert.IsType<RegistrySettings>(scenario.Store.Settings);
        Assert.True(settings.IsLocal);
        Assert.Equal(16, settings.PoolSize);
        Assert.False(settings.Prepare);
        Assert.Equal(new RegistryShape(5, 200, 2), settings.Shape);
        Assert.Equal("local postgres (throwaway cluster)", scenario.Store.RedactedTarget);
        var list = Assert.IsType<RegistryOperationSettings>(scenario.Workload.Mix[0].Settings);
        Assert.Equal(("staging", 25, 4), (list.Status, list.PageSize, list.Pages));
        Assert.Equal("testing", Assert.IsType<RegistryOperationSettings>(scenario.Workload.Mix[1].Settings).PromoteTo);
        Assert.Equal((2, 5), (((RegistryOperationSettings)scenario.Workload.Mix[2].Settings!).Terms, ((RegistryOperationSettings)scenario.Workload.Mix[2].Settings!).PageSize));
    }

    [Theory]
    [InlineData("{ kind: postgres, connection: local }", "[ { op: promote, to: retired } ]", "'retired' is not a registry status")]
    [InlineData("{ kind: postgres, connection: local }", "[ { op: list-by-status, status: productoin } ]", "did you mean 'production'?")]
    [InlineData("{ kind: postgres, connection: local }", "[ { op: sql, statement: \"SELECT 1 WHERE 1 = @a\", parameters: { b: 1 } } ]", "the statement has no @b")]
    [InlineData("{ kind: postgres, connection: local }", "[ { op: sql, statement: \"SELECT @a\", parameters: { a: \"{model.nam}\" } } ]", "did you mean '{model.name}'?")]
    [InlineData("{ kind: postgres, connection: local }", "[ { op: sql } ]", "statement is required")]
    [InlineData("{ kind: postgres, connection: local, authentication: entra-id }", "[ { op: lookup } ]", "entra-id needs a server in Azure")]
    [InlineData("{ kind: postgres, connection: local, registry: { versions: 3 } }", "[ { op: lookup } ]", "unknown key 'store.registry.versions'")]
    [InlineData("{ kind: sqlserver, connection: local }", "[ { op: lookup } ]", "sqlserver has no local server")]
    [InlineData("{ kind: sqlserver }", "[ { op: lookup } ]", "store.connection is required")]
    [InlineData("{ kind: sqlserver, connection: \"Server=x\", prepare: true }", "[ { op: lookup } ]", "unknown key 'store.prepare'")]
    [InlineData("{ kind: postgres, connection: local }", "[ { op: get } ]", "'get' is not an operation of store kind 'postgres'")]
    [InlineData("{ kind: sqlserver, connection: \"Server=x\", client: lean }", "[ { op: lookup } ]", "'lean' is not one of: sqlclient")]
    [InlineData("{ kind: postgres, connection: local, client: fast }", "[ { op: lookup } ]", "npgsql, lean")]
    [InlineData("{ kind: postgres, connection: \"Host=a.example.com;Password=p\", authentication: entra-id, client: lean }", "[ { op: lookup } ]", "does not fetch Microsoft Entra ID tokens")]
    [InlineData("{ kind: postgres, connection: \"Host=a,b;Password=p\", client: lean }", "[ { op: lookup } ]", "connects to one host")]
    [InlineData("{ kind: postgres, connection: \"Host=a;Root Certificate=/ca.pem\", client: lean }", "[ { op: lookup } ]", "names certificate files")]
    public void Mistakes_are_reported_with_what_to_do(string store, string mix, string expected)
    {
        var errors = TestScenarios.Errors(Scenario(store, mix));
        Assert.Contains(errors, e => e.ToString().Contains(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("{ kind: postgres, connection: local }", RegistryClient.Library)]
    [InlineData("{ kind: postgres, connection: local, client: npgsql }", RegistryClient.Library)]
    [InlineData("{ kind: postgres, connection: local, client: lean }", RegistryClient.Lean)]
    [InlineData("{ kind: sqlserver, connection: \"Server=x\", client: sqlclient }", RegistryClient.Library)]
    public void The_client_setting_chooses_the_library_or_postgres_lean_client(string store, RegistryClient expected)
    {
        Assert.Equal(expected, Assert.IsType<RegistrySettings>(TestScenarios.Load(Scenario(store)).Store.Settings).Client);
    }

    [Theory]
    [InlineData("{ kind: postgres, connection: \"Host=db.example.com;Port=6432;Database=reg;Username=u;Password=Hunter2-secret\" }", "db.example.com:6432/reg")]
    [InlineData("{ kind: sqlserver, connection: \"Server=tcp:reg.database.windows.net,1433;Database=registry;User ID=u;Password=Hunter2-secret\" }", "tcp:reg.database.windows.net,1433/registry")]
    public void The_printed_target_never_holds_the_password(string store, string expected)
    {
        var scenario = TestScenarios.Load(Scenario(store));
        Assert.Equal(expected, scenario.Store.RedactedTarget);
    }

    [Theory]
    [InlineData("{ kind: postgres, connection: \"Host=h;Pasword=Hunter2-secret\" }")]
    [InlineData("{ kind: postgres, connection: \"Host=h;Pasword=Hunter2-secret\", client: lean }")]
    [InlineData("{ kind: sqlserver, connection: \"Server=h;Pasword=Hunter2-secret\" }")]
    public void A_malformed_connection_string_is_reported_without_its_values(string store)
    {
        var errors = TestScenarios.Errors(Scenario(store));
        var message = string.Join("\n", errors);
        Assert.Contains("not a valid", message, StringComparison.Ordinal);
        Assert.DoesNotContain("Hunter2-secret", message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_data_set_is_deterministic_and_looks_like_a_registry()
    {
        var shape = new RegistryShape(4, 512, 3);
        var model = new RegistryModel(42, "m-", shape);
        var rows = Enumerable.Range(0, 400).Select(i => model.Row(i)).ToList();

        Assert.Equal(rows, Enumerable.Range(0, 400).Select(i => new RegistryModel(42, "m-", shape).Row(i)));
        Assert.NotEqual(rows[5].ModelId, new RegistryModel(43, "m-", shape).Row(5).ModelId);
        Assert.Equal(("m-2", "1.3.0"), model.Key(11));
        // Names beyond the cached versions and large model numbers are built the same way.
        Assert.Equal(("m-1234567890123", "1.100.0"), new RegistryModel(42, "m-", new RegistryShape(101, 512, 3)).Key((1_234_567_890_123L * 101) + 100));
        Assert.Equal("1.63.0", RegistryModel.VersionName(63));
        Assert.Equal(400, rows.Select(r => r.ModelId).Distinct().Count());
        Assert.Equal(400, rows.Select(r => (r.ModelName, r.Version)).Distinct().Count());
        Assert.Equal(RegistryModel.Statuses.Order(), rows.Select(r => r.Status).Distinct().Order());
        // The newest version of a model is never already in production; older ones often are.
        Assert.DoesNotContain(rows.Where((_, i) => i % 4 == 3), r => r.Status == "production");
        Assert.Contains(rows.Where((_, i) => i % 4 == 0), r => r.Status == "production");
        Assert.All(rows, r =>
        {
            Assert.InRange(r.Metadata.Length, 500, 520);
            using var json = JsonDocument.Parse(r.Metadata);
            Assert.True(json.RootElement.TryGetProperty("metrics", out _));
            var tags = r.Tags.Split(' ');
            Assert.Equal(3, tags.Distinct().Count());
            Assert.All(tags, t => Assert.Contains(t, RegistryModel.TagWords));
            Assert.True(r.UpdatedAt >= r.CreatedAt);
        });
        // Versions of one model are created in order, so "latest" is a question about time.
        Assert.True(rows[7].CreatedAt > rows[6].CreatedAt && rows[6].CreatedAt > rows[5].CreatedAt);
    }

    [Fact]
    public void Errors_are_named_as_results_report_them()
    {
        Assert.Equal("constraint", ErrorKinds.Name(ErrorKind.Constraint));
        Assert.Equal("not-found", ErrorKinds.Name(ErrorKind.NotFound));
        Assert.Equal("timeout", ErrorKinds.Name(ErrorKind.Timeout));
        var random = new OperationRandom(1, 1);
        Assert.Equal(5, RegistryModel.Tags(ref random, 5).Split(' ').Distinct().Count());
    }
}
