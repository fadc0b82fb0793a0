namespace Benchmarks.Cli;

/// <summary>The exit codes CI pipelines rely on (DESIGN.md).</summary>
internal static class ExitCodes
{
    public const int Passed = 0;
    public const int SlaFailed = 1;
    public const int BadInput = 2;
    public const int Invalid = 3;

    /// <summary>The worst of several runs: invalid beats failed beats passed.</summary>
    public static int Worst(IEnumerable<int> codes) => codes.DefaultIfEmpty(Passed).Max();
}
