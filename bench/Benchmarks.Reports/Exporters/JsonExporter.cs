using Benchmarks.Core.Results;

namespace Benchmarks.Reports.Exporters;

/// <summary>result.json: the contract other tools read.</summary>
public sealed class JsonExporter : SingleFileExporter
{
    public const string FileName = OutputFileNames.Result;

    public override string Name => "json";

    protected override string File => FileName;

    protected override string Content(RunOutcome outcome) => ResultJson.Serialize(outcome.Result);
}
