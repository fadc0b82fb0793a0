namespace Benchmarks.Core.Results;

/// <summary>The phases of a run with scripted faults, named once: before the first fault, during any, after.</summary>
public static class Phases
{
    public const string Before = "before";
    public const string During = "during";
    public const string After = "after";

    public static IReadOnlyList<string> All { get; } = [Before, During, After];
}
