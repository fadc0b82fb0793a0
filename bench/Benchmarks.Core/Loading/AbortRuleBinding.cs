using Benchmarks.Core.Parsing;
using Benchmarks.Core.Thresholds;
using Benchmarks.Core.Workload;

namespace Benchmarks.Core.Loading;

/// <summary>Reads <c>abortOn:</c>, a list of abort rules, each checked against the mix like an SLA.</summary>
internal static class AbortRuleBinding
{
    public static IReadOnlyList<AbortRule> Bind(ScenarioSection top, WorkloadDefinition? workload)
    {
        var rules = new List<AbortRule>();
        foreach (var (text, item) in top.GetStrings("abortOn", "each abortOn entry is one rule string", AbortRule.Hint))
        {
            if (!AbortRule.TryParse(text, out var rule, out var problem))
            {
                top.Errors.Add(top.At(item), problem!, AbortRule.Hint);
                continue;
            }

            if (rule.Condition.Operation is { } op && workload is not null && workload.Mix.All(m => m.Name != op))
            {
                top.Errors.Add(top.At(item), $"'{op}' is not an operation of the mix",
                    $"use one of: {string.Join(", ", workload.Mix.Select(m => m.Name))}, or no prefix for the total");
                continue;
            }

            rules.Add(rule);
        }

        return rules;
    }
}
