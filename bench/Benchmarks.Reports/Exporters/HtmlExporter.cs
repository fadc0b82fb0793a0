using Benchmarks.Core.Results;
using Benchmarks.Reports.Html;

namespace Benchmarks.Reports.Exporters;

/// <summary>report.html of one run.</summary>
public sealed class HtmlExporter : SingleFileExporter<RunOutcome>
{
    public override string Name => "html";

    protected override string File => OutputFileNames.Html;

    protected override string Content(RunOutcome outcome) => HtmlReport.Render($"bench: {outcome.Result.Scenario.Name}", [outcome]);
}
