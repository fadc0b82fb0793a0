using Benchmarks.Core.Results;

namespace Benchmarks.Reports.Exporters;

/// <summary>The shared part of the exporters that write one text file per run: where it goes and that it is written whole.</summary>
public abstract class SingleFileExporter : IExporter
{
    public abstract string Name { get; }

    /// <summary>The file's name in the run's folder (from <see cref="Core.Results.OutputFileNames"/>).</summary>
    protected abstract string File { get; }

    /// <summary>The file's whole content.</summary>
    protected abstract string Content(RunOutcome outcome);

    public IReadOnlyList<string> Export(RunOutcome outcome)
    {
        var path = Path.Combine(outcome.OutputDirectory, File);
        System.IO.File.WriteAllText(path, Content(outcome));
        return [path];
    }
}
