using System.Globalization;
using Benchmarks.Core.Parsing;
using YamlDotNet.RepresentationModel;

namespace Benchmarks.Core.Loading;

/// <summary><c>--set dotted.path=value</c>: replaces or adds one value of the parsed tree; list items by index (workload.mix.0.weight).</summary>
public static class Overrides
{
    public static void Apply(YamlMappingNode root, IEnumerable<string> settings, ScenarioErrors errors)
    {
        foreach (var setting in settings)
        {
            var where = SourceLocation.CommandLine($"--set {setting}");
            var eq = setting.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                errors.Add(where, "an override must look like path=value", "e.g. --set load.rate=8000/s");
                continue;
            }

            var path = setting[..eq].Trim().Split('.');
            var value = new YamlScalarNode(setting[(eq + 1)..]);
            errors.Overrides[value] = setting;
            YamlNode current = root;
            for (var i = 0; i < path.Length; i++)
            {
                var last = i == path.Length - 1;
                var segment = path[i];
                if (segment.Length == 0)
                {
                    errors.Add(where, "empty segment in path", "write segments separated by single dots");
                    break;
                }

                if (current is YamlMappingNode map)
                {
                    var key = new YamlScalarNode(segment);
                    if (last)
                    {
                        map.Children[key] = value;
                    }
                    else if (!map.Children.TryGetValue(key, out var next))
                    {
                        var created = new YamlMappingNode();
                        errors.Overrides[created] = setting;
                        errors.Overrides[key] = setting;
                        map.Children[key] = created;
                        current = created;
                    }
                    else
                    {
                        current = next;
                    }

                    if (last)
                    {
                        errors.Overrides[key] = setting;
                    }
                }
                else if (current is YamlSequenceNode seq && int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                {
                    if (index >= seq.Children.Count)
                    {
                        errors.Add(where, $"index {index} is past the end of a list of {seq.Children.Count}");
                        break;
                    }

                    if (last)
                    {
                        seq.Children[index] = value;
                    }
                    else
                    {
                        current = seq.Children[index];
                    }
                }
                else
                {
                    errors.Add(where, $"'{string.Join('.', path[..i])}' holds a single value or a list, so '{segment}' cannot be set inside it");
                    break;
                }
            }
        }
    }
}
