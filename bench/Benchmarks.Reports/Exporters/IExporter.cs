using Benchmarks.Core.Results;
using Benchmarks.Reports.Gate;
using Benchmarks.Reports.Micro;

namespace Benchmarks.Reports.Exporters;

/// <summary>Writes one kind of report of <typeparamref name="T"/> (a run, a comparison, a suite) into a folder.</summary>
public interface IExporter<in T>
{
    string Name { get; }

    /// <summary>Returns the paths written.</summary>
    IReadOnlyList<string> Export(T subject, string folder);
}

/// <summary>
/// A comparison against a baseline, as <c>bench compare</c> and <c>bench report --baseline</c> report it: of two
/// runs (both outcomes kept, for the overlaid distributions), or of two BenchmarkDotNet exports.
/// </summary>
public sealed record ComparisonOutcome(RunComparison Comparison)
{
    /// <summary>The current run and its baseline, when two runs were compared.</summary>
    public (RunOutcome Current, RunOutcome Baseline)? Runs { get; init; }

    /// <summary>The current build's micro-benchmarks and the export's title, when two BenchmarkDotNet exports were compared.</summary>
    public (string Title, IReadOnlyList<MicroBenchmark> Current)? Micro { get; init; }
}

/// <summary>Several scenarios run by one <c>bench run</c>: one page, a section per scenario.</summary>
public sealed record SuiteOutcome(string Title, IReadOnlyList<RunOutcome> Runs);
