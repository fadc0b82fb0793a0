using System.Text;
using System.Text.RegularExpressions;
using Benchmarks.Core.Parsing;

namespace Benchmarks.Core.Loading;

/// <summary>
/// <c>${VAR}</c> and <c>${VAR:-default}</c> in scenario text, replaced before YAML parsing and line by
/// line, so positions of later errors stay those of the file. <c>$${</c> writes a literal <c>${</c>.
/// </summary>
public static partial class EnvironmentSubstitution
{
    [GeneratedRegex(@"\$\$\{|\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(?<def>:-(?<default>[^}]*))?\}|\$\{", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static string Apply(string text, string source, Func<string, string?> lookup, ScenarioErrors errors)
    {
        var lines = text.Split('\n');
        var result = new StringBuilder(text.Length);
        for (var i = 0; i < lines.Length; i++)
        {
            var lineNumber = i + 1;
            var line = lines[i];
            var commentAt = line.TrimStart().StartsWith('#') ? 0 : -1;
            result.Append(commentAt == 0 ? line : Pattern().Replace(line, m =>
            {
                if (m.Value == "$${")
                {
                    return "${";
                }

                if (!m.Groups["name"].Success)
                {
                    errors.Add(new SourceLocation(source, lineNumber, m.Index + 1), "unterminated or malformed ${...}",
                        "write ${NAME} or ${NAME:-default}; $${ writes a literal ${");
                    return m.Value;
                }

                var name = m.Groups["name"].Value;
                var value = lookup(name);
                if (!string.IsNullOrEmpty(value))
                {
                    return value;
                }

                if (m.Groups["def"].Success)
                {
                    return m.Groups["default"].Value;
                }

                errors.Add(new SourceLocation(source, lineNumber, m.Index + 1), $"environment variable {name} is not set",
                    $"export {name}=..., or give a default: ${{{name}:-value}}");
                return "";
            }));
            if (i < lines.Length - 1)
            {
                result.Append('\n');
            }
        }

        return result.ToString();
    }
}
