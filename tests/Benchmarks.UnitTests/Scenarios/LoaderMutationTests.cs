using Benchmarks.Core.Parsing;
using Benchmarks.UnitTests.Cli;
using CsCheck;

namespace Benchmarks.UnitTests.Scenarios;

/// <summary>
/// The loader against random damage to every shipped scenario: each mutated copy must either load (a valid
/// run plan) or be refused with located messages (exit 2) — never an unhandled exception. CsCheck shrinks a
/// failure to the smallest damage that still breaks it.
/// </summary>
public sealed class LoaderMutationTests
{
    private const int CopiesPerScenario = 10_000;

    /// <summary>Pieces that break YAML or the scenario's grammar in interesting ways.</summary>
    private static readonly string[] Fragments =
    [
        ":", " ", "\n", "\t", "-", "#", "{", "}", "[", "]", ",", "\"", "'", "&a", "*a", "!!int ", "|", ">", "%", "?", "${", "${X:-", "}",
        "0", "-1", "1e309", "9999999999999999999999", "0.0", "NaN", "1/s", "0/s", "1ms", "0s", "-5s", "99.9999%", "100%", "p(", "p(99)", "p(100) < 0ms",
        "null", "~", "true", "yes", "kind", "op", "executor", "weight: 0", "rate:", "duration: 1h", "stages: []", "mix: []", "abortOn: [ x ]",
    ];

    public static TheoryData<string> ShippedScenarios() =>
        [.. Directory.GetFiles(RepositoryRoot.File("scenarios"), "*.yaml", SearchOption.AllDirectories).Order().Select(f => Path.GetRelativePath(RepositoryRoot.Path, f))];

    [Theory]
    [MemberData(nameof(ShippedScenarios))]
    public void Every_mutation_of_a_shipped_scenario_loads_or_is_refused_with_located_messages(string file)
    {
        var text = File.ReadAllText(RepositoryRoot.File(file));
        Mutation(text).Sample(mutated =>
        {
            try
            {
                TestScenarios.Load(mutated);
            }
            catch (ScenarioException e)
            {
                Assert.NotEmpty(e.Errors);
                Assert.All(e.Errors, error => Assert.False(string.IsNullOrWhiteSpace(error.Message)));
            }
        }, iter: CopiesPerScenario);
    }

    /// <summary>One to three edits: delete a span, insert a fragment, replace a span with a fragment, or duplicate a line.</summary>
    private static Gen<string> Mutation(string text) =>
        Gen.Int[1, 3].SelectMany(edits => Edit(text).Array[edits].Select(steps => steps.Aggregate(text, (t, step) => step(t))));

    private static Gen<Func<string, string>> Edit(string original) => Gen.OneOf(
        Gen.Select(Gen.Double[0, 1], Gen.Int[1, 12], (at, length) => (Func<string, string>)(t => Delete(t, at, length))),
        Gen.Select(Gen.Double[0, 1], Fragment, (at, fragment) => (Func<string, string>)(t => t.Insert(Position(t, at), fragment))),
        Gen.Select(Gen.Double[0, 1], Gen.Int[1, 8], Fragment, (at, length, fragment) => (Func<string, string>)(t => Delete(t, at, length).Insert(Position(Delete(t, at, length), at), fragment))),
        Gen.Double[0, 1].Select(at => (Func<string, string>)(t => DuplicateLine(t, at))));

    private static readonly Gen<string> Fragment = Gen.Int[0, Fragments.Length - 1].Select(i => Fragments[i]);

    private static int Position(string t, double at) => (int)(at * t.Length);

    private static string Delete(string t, double at, int length)
    {
        var start = Position(t, at);
        return t.Remove(start, Math.Min(length, t.Length - start));
    }

    private static string DuplicateLine(string t, double at)
    {
        var lines = t.Split('\n').ToList();
        var i = (int)(at * (lines.Count - 1));
        lines.Insert(i, lines[i]);
        return string.Join('\n', lines);
    }

    [Fact]
    public void A_key_with_no_name_at_the_end_is_a_located_yaml_error_not_a_crash()
    {
        // The first damage the mutations found: YamlDotNet's parser accepts it, its representation model throws ArgumentException.
        var lines = TestScenarios.ValidRedis.TrimEnd().Split('\n').Length;
        var error = Assert.Single(TestScenarios.Errors(TestScenarios.ValidRedis.TrimEnd() + "\n:\n"));
        Assert.StartsWith("YAML syntax", error.Message, StringComparison.Ordinal);
        Assert.InRange(error.Location.Line, lines, lines + 2);
    }
}
