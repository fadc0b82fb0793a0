using System.CommandLine;
using Benchmarks.Core.Loading;
using Benchmarks.Core.Parsing;
using Benchmarks.Core.Stores;
using Spectre.Console;

namespace Benchmarks.Cli.Commands;

internal static class ListCommand
{
    public static Command Create(IAnsiConsole console, StoreCatalog catalog)
    {
        var dir = new Option<string>("--dir") { Description = "folder of scenario files", DefaultValueFactory = _ => "scenarios" };
        var command = new Command("list", "list the scenario files of a folder and the store kinds with their operations") { dir };
        command.SetAction(parse =>
        {
            var folder = parse.GetValue(dir)!;
            var table = new Table().AddColumns("scenario", "store", "load", "file");
            var loader = new ScenarioLoader(catalog);
            foreach (var file in (Directory.Exists(folder) ? Directory.GetFiles(folder, "*.yaml", SearchOption.AllDirectories) : []).Order(StringComparer.Ordinal))
            {
                try
                {
                    var s = loader.LoadFile(file);
                    table.AddRow(Markup.Escape(s.Name), Markup.Escape(s.Store.Kind), Markup.Escape(ValidateCommand.Describe(s.Load)), Markup.Escape(file));
                }
                catch (ScenarioException e)
                {
                    table.AddRow(Markup.Escape(Path.GetFileNameWithoutExtension(file)), "?", $"[red]{e.Errors.Count} problem(s): bench validate {Markup.Escape(file)}[/]", Markup.Escape(file));
                }
            }

            console.Write(table);
            var stores = new Table().AddColumns("store kind", "operations", "what");
            foreach (var f in catalog.All)
            {
                stores.AddRow(Markup.Escape(f.Kind), Markup.Escape(string.Join(", ", f.Operations)), Markup.Escape(f.Description));
            }

            console.Write(stores);
            return ExitCodes.Passed;
        });
        return command;
    }
}
