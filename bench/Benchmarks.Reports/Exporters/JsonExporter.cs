using Benchmarks.Core.Results;
using Benchmarks.Core.Running;

namespace Benchmarks.Reports.Exporters;

public sealed class JsonExporter : IExporter
{
    public const string FileName = OutputFileNames.Result;

    public string Name => "json";

    public IReadOnlyList<string> Export(RunOutcome outcome)
    {
        var path = Path.Combine(outcome.OutputDirectory, FileName);
        File.WriteAllText(path, ResultJson.Serialize(outcome.Result));
        return [path];
    }
}
