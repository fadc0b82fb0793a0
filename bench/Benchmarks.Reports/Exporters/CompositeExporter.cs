using Benchmarks.Core.Results;

namespace Benchmarks.Reports.Exporters;

/// <summary>Runs every exporter; one that fails is reported and does not stop the others (the data of a long run must not be lost to a report bug).</summary>
public sealed class CompositeExporter(IReadOnlyList<IExporter> exporters) : IExporter
{
    public string Name => "all";

    public List<string> Failures { get; } = [];

    public IReadOnlyList<string> Export(RunOutcome outcome)
    {
        var written = new List<string>();
        foreach (var exporter in exporters)
        {
            try
            {
                written.AddRange(exporter.Export(outcome));
            }
#pragma warning disable CA1031 // isolating one exporter's failure is this type's purpose
            catch (Exception e)
#pragma warning restore CA1031
            {
                Failures.Add($"{exporter.Name} exporter failed: {e.Message}");
            }
        }

        return written;
    }
}

public static class DefaultExporters
{
    public static CompositeExporter Create() => new([new JsonExporter(), new MarkdownSummaryExporter(), new HgrmExporter(), new JunitExporter(), new HtmlExporter()]);
}
