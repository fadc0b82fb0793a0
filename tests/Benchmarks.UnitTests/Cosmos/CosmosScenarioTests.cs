using Benchmarks.Core.Capacity;
using Benchmarks.Stores.Cosmos;
using Benchmarks.Stores.Cosmos.Documents;
using Microsoft.Azure.Cosmos;

namespace Benchmarks.UnitTests.Cosmos;

/// <summary>The Cosmos DB store's scenario section, its data set, and the request-unit arithmetic.</summary>
public sealed class CosmosScenarioTests
{
    private static string Scenario(string store, string mix = "[ { op: read } ]", string extra = "") => $"""
        name: c
        store: {store}
        workload:
          mix: {mix}
        load: {"{"} executor: constant-arrival-rate, rate: 100/s, duration: 1s {"}"}
        {extra}
        """;

    [Fact]
    public void A_scenario_reads_its_account_documents_and_operations()
    {
        var scenario = TestScenarios.Load(Scenario(
            "{ kind: cosmos, connection: \"https://acct.documents.azure.com:443/\", key: \"c2VjcmV0LWtleQ==\", mode: direct, consistency: Session, preferredRegions: [ West Europe, North Europe ], maxRetriesOn429: 0, throughput: 4000, documents: { kind: profile, partitioning: hierarchical, buckets: 8 } }",
            "[ { op: query, statement: \"SELECT * FROM c WHERE c.tenantId = @tenantId\", scope: cross-partition, pageSize: 10, maxPages: 3 }, { op: read-many, items: 7 }, { op: batch, items: 4 } ]",
            "sla: [ \"ru.p(99) < 5\", \"throttled < 0.5%\" ]"));
        var s = Assert.IsType<CosmosSettings>(scenario.Store.Settings);
        Assert.False(s.Gateway);
        Assert.Equal(("Session", 0, 4000), (s.Consistency, s.MaxRetriesOn429, s.Throughput));
        Assert.Equal(["West Europe", "North Europe"], s.PreferredRegions);
        Assert.Equal((DocumentKind.Profile, PartitionStrategy.Hierarchical, 8), (s.Documents, s.Partitioning, s.Buckets));
        Assert.Equal("acct.documents.azure.com:443", scenario.Store.RedactedTarget);
        var query = Assert.IsType<CosmosOperationSettings>(scenario.Workload.Mix[0].Settings);
        Assert.Equal((true, 10, 3), (query.CrossPartition, query.PageSize, query.MaxPages));
        Assert.Equal(7, ((CosmosOperationSettings)scenario.Workload.Mix[1].Settings!).Items);
        Assert.Equal("RU", scenario.Sla[0].Unit);
    }

    [Theory]
    [InlineData("{ kind: cosmos, connection: \"http://acct:443/\" }", "not an account endpoint")]
    [InlineData("{ kind: cosmos, connection: \"https://acct.documents.azure.com:443/\" }", "needs its key")]
    [InlineData("{ kind: cosmos, connection: local, mode: direct }", "speaks only the gateway protocol")]
    [InlineData("{ kind: cosmos, connection: local, bulkPreload: true }", "does not understand bulk")]
    [InlineData("{ kind: cosmos, consistency: Sesion }", "did you mean 'Session'?")]
    [InlineData("{ kind: cosmos, documents: { partitioning: random } }", "'random' is not one of: single, synthetic, hierarchical")]
    public void Mistakes_are_reported_with_what_to_do(string store, string expected)
    {
        var errors = TestScenarios.Errors(Scenario(store));
        Assert.Contains(errors, e => e.ToString().Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void A_batch_is_at_most_a_hundred_operations()
    {
        var errors = TestScenarios.Errors(Scenario("{ kind: cosmos }", "[ { op: batch, items: 101 } ]"));
        Assert.Contains(errors, e => e.ToString().Contains("items", StringComparison.Ordinal));
    }

    [Fact]
    public void The_key_never_reaches_the_printed_target_or_an_error()
    {
        const string Key = "c2VjcmV0LWtleS10aGF0LW11c3Qtbm90LWxlYWs=";
        var scenario = TestScenarios.Load(Scenario($"{{ kind: cosmos, connection: \"https://acct.documents.azure.com:443/\", key: \"{Key}\" }}"));
        // Exactly host and port: an empty or garbled target would also "not contain" the key.
        Assert.Equal("acct.documents.azure.com:443", scenario.Store.RedactedTarget);
        var errors = TestScenarios.Errors(Scenario($"{{ kind: cosmos, connection: \"https://acct.documents.azure.com:443/\", key: \"{Key}\", mode: sideways }}"));
        var message = string.Join("\n", errors);
        Assert.Contains("mode", message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(PartitionStrategy.Single, "[\"user-7\"]", "/userId")]
    [InlineData(PartitionStrategy.Synthetic, "[\"bucket-3\"]", "/pk")]
    [InlineData(PartitionStrategy.Hierarchical, "[\"tenant-3\",\"user-7\"]", "/tenantId,/userId")]
    public void Each_strategy_gives_the_key_its_container_paths_expect(PartitionStrategy strategy, string key, string paths)
    {
        var set = new CosmosDataSet(1, "user-", DocumentKind.Feature, 8, strategy, 4);
        Assert.Equal(key, set.KeyOf(7).ToString());
        Assert.Equal(paths, string.Join(",", set.PartitionKeyPaths));
        var doc = set.Document(7);
        Assert.Equal(("user-7", "user-7", "tenant-3", "bucket-3", 8), (doc.Id, doc.UserId, doc.TenantId, doc.Pk, doc.Features!.Length));
        Assert.Equal(doc.Features, set.Document(7).Features);
        Assert.NotEqual(doc.Features, set.Document(7, version: 1).Features);
    }

    [Fact]
    public void Request_units_at_the_target_rate_round_up_to_steps_of_a_hundred()
    {
        // 1.5 M RU over 600 000 operations is 2.5 RU each; 20 000/s with 30% headroom: 20 000 × 2.5 ÷ 0.7 = 71 428.6 → 71 500 RU/s.
        var plan = RequestUnitPlanner.Plan(1_500_000, 600_000, 60, 10_000, new SizingInputs(20_000, 30, null, null, 5.84))!;
        Assert.Equal(2.5, plan.MeasuredRuPerOperation);
        Assert.Equal(25_000, plan.MeasuredRuPerSecond);
        Assert.Equal(71_500, plan.RequestUnitsPerSecond);
        Assert.Equal(715 * 5.84, plan.MonthlyCost!.Value, 6);
        Assert.Contains(plan.Assumptions, a => a.Contains("2.5 RU per operation", StringComparison.Ordinal));

        // Without sizing inputs: the run's own target rate and no headroom; an exact fit does not round up.
        var exact = RequestUnitPlanner.Plan(1_000, 1_000, 10, 500, null)!;
        Assert.Equal((500, 0, 500.0), (exact.TargetRatePerSecond, exact.HeadroomPercent, exact.RequestUnitsPerSecond));
        Assert.Null(exact.MonthlyCost);
        Assert.Null(RequestUnitPlanner.Plan(0, 0, 10, 500, null));
    }

    [Fact]
    public void A_cosmos_scenario_may_size_without_a_capacity_search_and_others_may_not()
    {
        var scenario = TestScenarios.Load(Scenario("{ kind: cosmos }", extra: "sizing: { targetRate: 20000/s, headroom: 30%, pricePer100RuMonth: 5.84 }"));
        Assert.Equal(20_000, scenario.Sizing!.TargetRatePerSecond);
        var errors = TestScenarios.Errors(Scenario("{ kind: noop }", "[ { op: noop } ]", "sizing: { targetRate: 20000/s }"));
        Assert.Contains(errors, e => e.ToString().Contains("sizing needs a measured capacity", StringComparison.Ordinal));
    }
}
