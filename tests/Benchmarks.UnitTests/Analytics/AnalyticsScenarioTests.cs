using Benchmarks.Stores.Analytics;
using Benchmarks.Stores.Analytics.Queries;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace Benchmarks.UnitTests.Analytics;

/// <summary>The analytics store's scenario section, and the Synapse dialect of the query parsed offline.</summary>
public sealed class AnalyticsScenarioTests
{
    private static string Scenario(string store, string mix = "[ { op: training-data } ]", string sla = "") => $"""
        name: a
        store: {store}
        workload:
          mix: {mix}
        load: {"{"} executor: constant-concurrency, concurrency: 1, duration: 1s {"}"}
        {sla}
        """;

    private static IList<ParseError> Parse(string sql)
    {
        using var reader = new StringReader(sql);
        new TSql170Parser(initialQuotedIdentifiers: true).Parse(reader, out var errors);
        return errors;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_Synapse_query_is_valid_T_SQL_over_the_lake_and_over_a_table(bool table)
    {
        var source = table ? new SynapseSource("dbo.raw_events", IsTable: true) : new SynapseSource("https://acct.dfs.core.windows.net/lake/events/*.parquet", IsTable: false);
        var query = $"DECLARE @anchor datetime2 = '2026-01-01T00:00:00';\n{TrainingDataQuery.Synapse(source, 30)}";
        Assert.Empty(Parse(query).Select(e => $"line {e.Line}: {e.Message}"));
        Assert.Empty(Parse($"DECLARE @anchor datetime2 = '2026-01-01';\n{TrainingDataQuery.Synapse(source, 30, count: true)}").Select(e => e.Message));
        // Wrapping the CTE in a derived table would not be T-SQL: the parser sees it, so the count variant above is needed.
        Assert.NotEmpty(Parse($"DECLARE @anchor datetime2 = '2026-01-01';\n{TrainingDataQuery.CountOf(TrainingDataQuery.Synapse(source, 30))};"));
        Assert.Contains("LAG(day_target, 1) OVER (PARTITION BY user_id ORDER BY event_date)", TrainingDataQuery.Synapse(source, 30), StringComparison.Ordinal);
        // The DuckDB dialect is not T-SQL (INTERVAL arithmetic, lower-case functions of its own): the parser can fail.
        Assert.NotEmpty(Parse(TrainingDataQuery.DuckDb(new DateTime(2026, 1, 1), 30)));
    }

    [Fact]
    public void A_quote_in_the_lake_URL_cannot_break_out_of_the_string()
    {
        var query = TrainingDataQuery.Synapse(new SynapseSource("https://x/it's/*.parquet", IsTable: false), 30);
        Assert.Contains("'https://x/it''s/*.parquet'", query, StringComparison.Ordinal);
        Assert.Empty(Parse($"DECLARE @anchor datetime2 = '2026-01-01';\n{query}"));
    }

    [Fact]
    public void A_DuckDB_scenario_reads_its_data_set_and_engine_settings()
    {
        var scenario = TestScenarios.Load(Scenario(
            "{ kind: analytics, connection: \"\", threads: 2, memoryLimit: 1GB, events: { rows: 5000000, users: 1000, days: 30, purchaseShare: 0.1, fileRows: 1000000, seed: 9, anchor: 2025-06-01T00:00:00 } }",
            "[ { op: training-data, windowDays: 7, result: count } ]", "sla: [ \"source_rows_per_s >= 1000000\", \"source_rows.p(99) < 6000000\", \"source_rate.p(50) > 1000\" ]"));
        var settings = Assert.IsType<AnalyticsSettings>(scenario.Store.Settings);
        Assert.Equal(AnalyticsEngineKind.DuckDb, settings.Engine);
        Assert.Equal((5_000_000L, 1000L, 30, 0.1, 1_000_000L, 9UL), (settings.Events.Rows, settings.Events.Users, settings.Events.Days, settings.Events.PurchaseShare, settings.Events.FileRows, settings.Events.Seed));
        Assert.Equal(new DateTime(2025, 6, 1), settings.Events.Anchor);
        Assert.Equal(5, settings.Events.Files);
        Assert.Equal((2, "1GB"), (settings.DuckDb.Threads, settings.DuckDb.MemoryLimit));
        var op = Assert.IsType<AnalyticsOperationSettings>(scenario.Workload.Mix[0].Settings);
        Assert.Equal((7, QueryResultMode.Count), (op.WindowDays, op.Result));
        Assert.Equal("rows/s", scenario.Sla[0].Unit);
        Assert.Equal("rows", scenario.Sla[1].Unit);
    }

    [Theory]
    [InlineData("{ kind: analytics, engine: synapse }", "engine synapse needs a connection string")]
    [InlineData("{ kind: analytics, engine: synapse, connection: \"Server=x\" }", "exactly one")]
    [InlineData("{ kind: analytics, engine: synapse, connection: \"Server=x\", source: \"https://a/*.parquet\", table: t }", "exactly one")]
    [InlineData("{ kind: analytics, connection: \"Server=x\" }", "is for engine synapse")]
    [InlineData("{ kind: analytics, memoryLimit: lots }", "is not a memory size")]
    [InlineData("{ kind: analytics, events: { rows: 100, users: 1000 } }", "1000 users need at least as many rows")]
    [InlineData("{ kind: analytics, events: { anchor: yesterday } }", "is not a date and time")]
    [InlineData("{ kind: analytics, engine: spark }", "'spark' is not one of: duckdb, synapse")]
    public void Mistakes_are_reported_with_what_to_do(string store, string expected)
    {
        var errors = TestScenarios.Errors(Scenario(store));
        Assert.Contains(errors, e => e.ToString().Contains(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("\"bytes.p(99) < 5\"", "'bytes' is not a metric of store kind 'analytics'")]
    [InlineData("\"source_rate_per_s > 5\"", "'source_rate' is already a rate")]
    [InlineData("\"training-data.p(99) < 5\"", "a latency target of 'training-data' needs a unit")]
    public void Thresholds_on_store_metrics_are_checked_against_what_the_store_reports(string sla, string expected)
    {
        var errors = TestScenarios.Errors(Scenario("{ kind: analytics }", sla: $"sla: [ {sla} ]"));
        Assert.Contains(errors, e => e.ToString().Contains(expected, StringComparison.Ordinal));
    }
}
