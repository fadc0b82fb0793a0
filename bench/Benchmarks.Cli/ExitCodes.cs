namespace Benchmarks.Cli;

/// <summary>The exit codes CI pipelines rely on (DESIGN.md).</summary>
internal static class ExitCodes
{
    public const int Passed = 0;
    public const int SlaFailed = 1;
    public const int BadInput = 2;
    public const int Invalid = 3;

    /// <summary>An SLA missed by less than the load generator's own lag and pauses could explain: neither pass nor fail.</summary>
    public const int Inconclusive = 4;

    /// <summary>Worst first: bad input, invalid, inconclusive (no answer), failed (an answer), passed.</summary>
    private static readonly int[] Severity = [BadInput, Invalid, Inconclusive, SlaFailed, Passed];

    /// <summary>The worst of several runs (see <see cref="Severity"/>).</summary>
    public static int Worst(IEnumerable<int> codes) =>
        codes.DefaultIfEmpty(Passed).MinBy(c => Array.IndexOf(Severity, c) is var i and >= 0 ? i : -1);
}
