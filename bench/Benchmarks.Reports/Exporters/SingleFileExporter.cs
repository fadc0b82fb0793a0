namespace Benchmarks.Reports.Exporters;

/// <summary>The shared part of the exporters that write one text file: where it goes and that it is written whole.</summary>
public abstract class SingleFileExporter<T> : IExporter<T>
{
    public abstract string Name { get; }

    /// <summary>The file's name in the folder (from <see cref="Core.Results.OutputFileNames"/>).</summary>
    protected abstract string File { get; }

    /// <summary>The file's whole content.</summary>
    protected abstract string Content(T subject);

    public IReadOnlyList<string> Export(T subject, string folder)
    {
        var path = Path.Combine(folder, File);
        System.IO.File.WriteAllText(path, Content(subject));
        return [path];
    }
}
