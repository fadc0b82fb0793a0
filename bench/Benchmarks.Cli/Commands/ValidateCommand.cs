using System.CommandLine;
using Benchmarks.Core.Parsing;
using Benchmarks.Core.Scenarios;
using Benchmarks.Core.Stores;
using Spectre.Console;

namespace Benchmarks.Cli.Commands;

internal static class ValidateCommand
{
    public static Command Create(IAnsiConsole console, TextWriter error, StoreCatalog catalog)
    {
        var files = new Argument<string[]>("scenario") { Arity = ArgumentArity.OneOrMore, Description = "scenario files (.yaml)" };
        var set = new Option<string[]>("--set") { Description = "override a value: --set load.rate=8000/s (repeatable)" };
        var command = new Command("validate", "check scenario files without running them (exit code 2 on any problem)") { files, set };
        command.SetAction(async (parse, _) =>
        {
            var scenarios = await ScenarioFiles.LoadAllAsync(parse.GetValue(files)!, parse.GetValue(set) ?? [], catalog, error);
            if (scenarios is null)
            {
                return ExitCodes.BadInput;
            }

            foreach (var s in scenarios)
            {
                console.MarkupLineInterpolated($"[green]ok[/] {s.SourcePath}: {s.Name} · {s.Store.Kind} ({s.Store.RedactedTarget}) · {s.Load.Executor.Name} · {Describe(s.Load)} · {s.Sla.Count} SLA");
            }

            return ExitCodes.Passed;
        });
        return command;
    }

    internal static string Describe(LoadDefinition load) =>
        load.Executor.Describe() + (load.Warmup > TimeSpan.Zero ? $" after {Units.FormatDuration(load.Warmup)} warm-up" : "");
}
