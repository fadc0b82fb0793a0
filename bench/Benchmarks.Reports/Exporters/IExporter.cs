using Benchmarks.Core.Results;

namespace Benchmarks.Reports.Exporters;

/// <summary>Writes one kind of report of a finished run into its output directory.</summary>
public interface IExporter
{
    string Name { get; }

    /// <summary>Returns the paths written.</summary>
    IReadOnlyList<string> Export(RunOutcome outcome);
}
