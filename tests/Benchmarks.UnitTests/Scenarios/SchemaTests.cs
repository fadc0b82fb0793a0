using System.Text.Json;
using Benchmarks.UnitTests.Cli;
using Json.Schema;
using YamlDotNet.Serialization;

namespace Benchmarks.UnitTests.Scenarios;

/// <summary>The JSON Schema editors use must agree with the loader on the repository's scenarios.</summary>
public sealed class SchemaTests
{
    private static readonly Lazy<JsonSchema> Schema = new(() =>
    {
        var scenarios = Path.GetDirectoryName(CliTests.RepositoryScenarios()[0])!;
        return JsonSchema.FromText(File.ReadAllText(Path.Combine(scenarios, "scenario.schema.json")));
    });

    private static EvaluationResults Evaluate(string yaml)
    {
        var data = new DeserializerBuilder().WithAttemptingUnquotedStringTypeDeserialization().Build().Deserialize<object>(yaml);
        using var json = JsonDocument.Parse(JsonSerializer.Serialize(data));
        return Schema.Value.Evaluate(json.RootElement.Clone(), new EvaluationOptions { OutputFormat = OutputFormat.List });
    }

    public static TheoryData<string> RepositoryScenarios() => [.. CliTests.RepositoryScenarios()];

    [Theory]
    [MemberData(nameof(RepositoryScenarios))]
    public void Every_repository_scenario_satisfies_the_schema_and_the_loader(string path)
    {
        var yaml = File.ReadAllText(path);
        var result = Evaluate(yaml);
        Assert.True(result.IsValid, string.Join("\n", result.Details?.Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")) ?? []));
        _ = TestScenarios.Load(yaml);
    }

    [Fact]
    public void The_schema_rejects_what_the_loader_rejects()
    {
        Assert.False(Evaluate(TestScenarios.ValidRedis.Replace("maxInFlight: 64", "maxInFligt: 64", StringComparison.Ordinal)).IsValid);
        Assert.False(Evaluate(TestScenarios.ValidRedis.Replace("rate: 1000/s", "rate: fast", StringComparison.Ordinal)).IsValid);
        Assert.False(Evaluate(TestScenarios.ValidRedis.Replace("\"p(99) < 1ms\"", "\"latency < 1ms\"", StringComparison.Ordinal)).IsValid);
        Assert.True(Evaluate(TestScenarios.ValidRedis).IsValid);
    }
}
