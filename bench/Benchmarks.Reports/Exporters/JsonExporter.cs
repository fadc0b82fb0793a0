using Benchmarks.Core.Results;

namespace Benchmarks.Reports.Exporters;

/// <summary>result.json: the contract other tools read.</summary>
public sealed class JsonExporter : SingleFileExporter<RunOutcome>
{
    public override string Name => "json";

    protected override string File => OutputFileNames.Result;

    protected override string Content(RunOutcome outcome) => ResultJson.Serialize(outcome.Result);
}
