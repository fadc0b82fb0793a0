using System.Text.Json;
using Benchmarks.Core.Executors;
using Benchmarks.UnitTests.Cli;

namespace Benchmarks.UnitTests.Scenarios;

/// <summary>
/// The schema checked against the code's own declarations: every executor kind and its keys, every store
/// kind and every operation it declares. A new executor or operation forgotten in the schema fails here.
/// </summary>
public sealed class SchemaDeclarationTests
{
    private static readonly Lazy<JsonElement> Schema = new(() =>
    {
        var scenarios = Path.GetDirectoryName(CliTests.RepositoryScenarios()[0])!;
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(scenarios, "scenario.schema.json")));
        return document.RootElement.Clone();
    });

    private static JsonElement Properties(string section) => Schema.Value.GetProperty("properties").GetProperty(section);

    private static HashSet<string> Enum(JsonElement property) => [.. property.GetProperty("enum").EnumerateArray().Select(e => e.GetString()!)];

    [Fact]
    public void Every_executor_kind_is_in_the_schema_with_every_key_it_reads()
    {
        var load = Properties("load").GetProperty("properties");
        Assert.Equal(ExecutorCatalog.All.Select(k => k.Name).ToHashSet(), Enum(load.GetProperty("executor")));
        var keys = load.EnumerateObject().Select(p => p.Name).ToHashSet();
        foreach (var key in ExecutorCatalog.All.SelectMany(k => k.Keys).Concat(ExecutorCatalog.CommonKeys))
        {
            Assert.True(keys.Contains(key), $"load.{key} is read by an executor but missing from the schema");
        }

        var readByNone = keys.Except(ExecutorCatalog.All.SelectMany(k => k.Keys).Concat(ExecutorCatalog.CommonKeys)).ToList();
        Assert.True(readByNone.Count == 0, $"the schema allows load keys no executor reads: {string.Join(", ", readByNone)}");
    }

    [Fact]
    public void Every_store_kind_and_operation_is_in_the_schema()
    {
        Assert.Equal(TestScenarios.Catalog.All.Select(f => f.Kind).ToHashSet(), Enum(Properties("store").GetProperty("properties").GetProperty("kind")));
        var operations = Enum(Properties("workload").GetProperty("properties").GetProperty("mix").GetProperty("items").GetProperty("properties").GetProperty("op"));
        foreach (var factory in TestScenarios.Catalog.All)
        {
            var missing = factory.Operations.Where(o => !operations.Contains(o)).ToList();
            Assert.True(missing.Count == 0, $"{factory.Kind}: operations missing from the schema: {string.Join(", ", missing)}");
        }

        var declared = TestScenarios.Catalog.All.SelectMany(f => f.Operations).ToHashSet();
        Assert.True(operations.SetEquals(declared), $"the schema names operations no store declares: {string.Join(", ", operations.Except(declared))}");
    }
}
