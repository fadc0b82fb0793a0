using Benchmarks.Core.Results;

namespace Benchmarks.Reports.Exporters;

/// <summary>
/// Every report the harness writes, by what it is a report of. Commands export through here, so a new
/// report is one class and one line in a list.
/// </summary>
public static class ExporterCatalog
{
    /// <summary>A run's folder: result.json, summary.md, .hgrm, junit.xml, report.html.</summary>
    public static IReadOnlyList<IExporter<RunOutcome>> Run { get; } =
        [new JsonExporter(), new MarkdownSummaryExporter(), new HgrmExporter(), new JunitExporter(), new HtmlExporter()];

    /// <summary>What <c>bench report</c> writes again from a saved run: everything but result.json, which it reads.</summary>
    public static IReadOnlyList<IExporter<RunOutcome>> Rebuilt { get; } = [.. Run.Where(e => e is not JsonExporter)];

    /// <summary>A comparison against a baseline: compare.md, compare.junit.xml, report.html.</summary>
    public static IReadOnlyList<IExporter<ComparisonOutcome>> Comparison { get; } =
        [new ComparisonMarkdownExporter(), new ComparisonJunitExporter(), new ComparisonHtmlExporter()];

    /// <summary>A suite of scenarios: the one page over all of them.</summary>
    public static IReadOnlyList<IExporter<SuiteOutcome>> Suite { get; } = [new SuiteHtmlExporter()];

    /// <summary>
    /// Runs every exporter; one that fails is reported and does not stop the others (the data of a long
    /// run must not be lost to a report bug).
    /// </summary>
    public static ExportReport Export<T>(IEnumerable<IExporter<T>> exporters, T subject, string folder)
    {
        var written = new List<string>();
        var failures = new List<string>();
        foreach (var exporter in exporters)
        {
            try
            {
                written.AddRange(exporter.Export(subject, folder));
            }
#pragma warning disable CA1031 // isolating one exporter's failure is this method's purpose
            catch (Exception e)
#pragma warning restore CA1031
            {
                failures.Add($"{exporter.Name} exporter failed: {e.Message}");
            }
        }

        return new ExportReport(written, failures);
    }
}

/// <summary>The files written, and each exporter that failed with why.</summary>
public sealed record ExportReport(IReadOnlyList<string> Written, IReadOnlyList<string> Failures);
