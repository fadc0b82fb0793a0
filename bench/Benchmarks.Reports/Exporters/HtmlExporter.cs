using Benchmarks.Core.Running;
using Benchmarks.Reports.Html;

namespace Benchmarks.Reports.Exporters;

/// <summary>report.html of one run.</summary>
public sealed class HtmlExporter : IExporter
{
    public string Name => "html";

    public IReadOnlyList<string> Export(RunOutcome outcome)
    {
        var path = Path.Combine(outcome.OutputDirectory, HtmlReport.FileName);
        File.WriteAllText(path, HtmlReport.Render($"bench: {outcome.Result.Scenario.Name}", [outcome]));
        return [path];
    }
}
