using Benchmarks.Core.Loading;
using Benchmarks.Core.Parsing;
using Benchmarks.Core.Scenarios;
using Benchmarks.Core.Stores;

namespace Benchmarks.Cli.Commands;

/// <summary>Loads every scenario given and reports all their problems together (exit code 2), before anything runs.</summary>
internal static class ScenarioFiles
{
    public static async Task<IReadOnlyList<Scenario>?> LoadAllAsync(IEnumerable<string> paths, IReadOnlyList<string> overrides, StoreCatalog catalog, TextWriter error)
    {
        var loader = new ScenarioLoader(catalog);
        var scenarios = new List<Scenario>();
        var problems = 0;
        foreach (var path in paths)
        {
            try
            {
                scenarios.Add(loader.LoadFile(path, overrides));
            }
            catch (ScenarioException e)
            {
                foreach (var problem in e.Errors)
                {
                    await error.WriteLineAsync(problem.ToString());
                }

                problems += e.Errors.Count;
            }
        }

        if (problems > 0)
        {
            await error.WriteLineAsync($"{problems} problem{(problems == 1 ? "" : "s")} found; nothing was run.");
            return null;
        }

        return scenarios;
    }
}
