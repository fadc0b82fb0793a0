namespace Benchmarks.Core.Results;

/// <summary>The names of the files a run (or a comparison) writes, defined once: the result names them, the exporters write them.</summary>
public static class OutputFileNames
{
    public const string Result = "result.json";
    public const string Summary = "summary.md";
    public const string Junit = "junit.xml";
    public const string Html = "report.html";

    /// <summary>The gate's table of changes against a baseline.</summary>
    public const string Comparison = "compare.md";

    /// <summary>The gate's verdicts against a baseline, for CI test tabs.</summary>
    public const string ComparisonJunit = "compare.junit.xml";

    /// <summary>Where an inconclusive window measured again keeps its earlier attempt's interval log.</summary>
    public static string EarlierAttemptHlog(string hlog, int attempt) => $"{Path.GetFileNameWithoutExtension(hlog)}{AttemptInfix}{attempt}.hlog";

    /// <summary>Is this the log of an earlier attempt (<see cref="EarlierAttemptHlog"/>), not of the window reported?</summary>
    public static bool IsEarlierAttemptHlog(string path) =>
        Path.GetFileNameWithoutExtension(path) is var name && name.LastIndexOf(AttemptInfix, StringComparison.Ordinal) is var at and >= 0
        && at + AttemptInfix.Length < name.Length && name[(at + AttemptInfix.Length)..].All(char.IsAsciiDigit);

    private const string AttemptInfix = ".attempt";

    /// <summary>The percentile distribution of one operation (or "total"), corrected or uncorrected.</summary>
    public static string Hgrm(string operation, bool corrected) => corrected ? $"{operation}.hgrm" : $"{operation}.uncorrected.hgrm";

    /// <summary>The .hgrm files of the given operations, keyed as result.json lists them (<c>op</c> and <c>op.uncorrected</c>).</summary>
    public static IReadOnlyDictionary<string, string> HgrmFiles(IEnumerable<string> operations) =>
        operations.SelectMany(name => new[]
        {
            KeyValuePair.Create(name, Hgrm(name, true)),
            KeyValuePair.Create($"{name}.uncorrected", Hgrm(name, false)),
        }).ToDictionary();
}
