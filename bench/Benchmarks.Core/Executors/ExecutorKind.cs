using Benchmarks.Core.Parsing;

namespace Benchmarks.Core.Executors;

/// <summary>An executor kind made of its parts: each executor's file declares one with its own name, keys and parser.</summary>
internal sealed class ExecutorKind(string name, IReadOnlyList<string> keys, Func<ScenarioSection, LoadCommon, ExecutorSettings> parse,
    Func<string, string?>? whyNot = null) : IExecutorKind
{
    public string Name => name;

    public IReadOnlyList<string> Keys => keys;

    public string? WhyNot(string key) => whyNot?.Invoke(key);

    public ExecutorSettings Parse(ScenarioSection load, LoadCommon common) => parse(load, common);
}
