using System.Globalization;
using Benchmarks.Core.Results;
using Benchmarks.Reports.Gate;
using Benchmarks.Reports.Html;

namespace Benchmarks.Reports.Exporters;

/// <summary>compare.md: the gate's table of changes, for a pull-request comment.</summary>
public sealed class ComparisonMarkdownExporter : SingleFileExporter<ComparisonOutcome>
{
    public override string Name => "compare-markdown";

    protected override string File => OutputFileNames.Comparison;

    protected override string Content(ComparisonOutcome subject) => ComparisonMarkdown.Render(subject.Comparison);
}

/// <summary>compare.junit.xml: one test case per gated metric, for CI test tabs.</summary>
public sealed class ComparisonJunitExporter : SingleFileExporter<ComparisonOutcome>
{
    public override string Name => "compare-junit";

    protected override string File => OutputFileNames.ComparisonJunit;

    protected override string Content(ComparisonOutcome subject)
    {
        using var writer = new JunitExporter.Utf8StringWriter();
        JunitExporter.Render(subject.Comparison).Save(writer);
        return writer.ToString();
    }
}

/// <summary>report.html against the baseline: both distributions and the table of changes (runs), or the micro-benchmark page.</summary>
public sealed class ComparisonHtmlExporter : SingleFileExporter<ComparisonOutcome>
{
    public override string Name => "compare-html";

    protected override string File => OutputFileNames.Html;

    protected override string Content(ComparisonOutcome subject) =>
        subject.Runs is { } runs ? HtmlReport.RenderAgainstBaseline(runs.Current, runs.Baseline, subject.Comparison)
        : subject.Micro is { } micro ? HtmlReport.RenderMicro(string.Create(CultureInfo.InvariantCulture, $"bench: {micro.Title} against its baseline"), subject.Comparison, micro.Current)
        : throw new ArgumentException("a comparison of neither runs nor micro-benchmarks", nameof(subject));
}

/// <summary>report.html of a suite: an overview table, then a section per scenario.</summary>
public sealed class SuiteHtmlExporter : SingleFileExporter<SuiteOutcome>
{
    public override string Name => "suite-html";

    protected override string File => OutputFileNames.Html;

    protected override string Content(SuiteOutcome subject) => HtmlReport.Render(subject.Title, subject.Runs);
}
