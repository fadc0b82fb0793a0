using System.Text.RegularExpressions;
using Benchmarks.UnitTests.Cli;

namespace Benchmarks.UnitTests.Architecture;

/// <summary>
/// Core's folders are layered (docs/architecture.md, "Inside Core"): a namespace may use only those of
/// lower layers. A new cycle is a seam torn open again, so it fails here, at the file that made it.
/// </summary>
public sealed partial class CoreLayeringTests
{
    /// <summary>The layers from the bottom; namespaces of one layer do not use each other.</summary>
    private static readonly string[][] Layers =
    [
        ["Workload", "Parsing", "Results", "Capacity", "Sockets"],
        ["Stores"],
        ["Recording"],
        ["Flows"],
        ["Health", "Execution", "Thresholds", "Faults", "Live"],
        ["Executors"],
        ["Scenarios"],
        ["Loading", "Agents"],
        ["Running"],
    ];

    [GeneratedRegex(@"(?:^using |[^\w.])Benchmarks\.Core\.(\w+)", RegexOptions.Multiline)]
    private static partial Regex CoreReference();

    [Fact]
    public void Every_namespace_of_core_uses_only_lower_layers()
    {
        var layerOf = Layers.SelectMany((names, layer) => names.Select(n => (n, layer))).ToDictionary(x => x.n, x => x.layer);
        var core = RepositoryRoot.File(Path.Combine("bench", "Benchmarks.Core"));
        var folders = Directory.GetDirectories(core).Select(Path.GetFileName).Where(f => f is not ("bin" or "obj")).ToList();
        Assert.Equal(folders.Order(), layerOf.Keys.Order());

        var violations = new List<string>();
        foreach (var folder in folders)
        {
            foreach (var file in Directory.GetFiles(Path.Combine(core, folder!), "*.cs"))
            {
                foreach (var used in CoreReference().Matches(File.ReadAllText(file)).Select(m => m.Groups[1].Value).Distinct())
                {
                    if (used != folder && layerOf.TryGetValue(used, out var layer) && layer >= layerOf[folder!])
                    {
                        violations.Add($"{folder}/{Path.GetFileName(file)} uses {used} (layer {layer} is not below {layerOf[folder!]})");
                    }
                }
            }
        }

        Assert.Empty(violations);
    }
}
