using Benchmarks.Core.Parsing;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Benchmarks.Core.Loading;

/// <summary>
/// Text to the scenario's root mapping: every way YamlDotNet refuses a text (syntax errors, a file that ends
/// inside a value, event sequences its representation model cannot hold) becomes a located error, never a
/// stack trace. Mutation tests feed it damaged copies of every shipped scenario.
/// </summary>
internal static class YamlDocumentReader
{
    /// <summary>The root mapping; throws <see cref="ScenarioException"/> with what is wrong and where.</summary>
    public static YamlMappingNode Read(string substituted, string source, ScenarioErrors errors)
    {
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(substituted));
            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode mapping)
            {
                errors.Add(new SourceLocation(source, 1, 1), "a scenario is a YAML mapping", "start with 'name: my-scenario'");
                throw new ScenarioException(errors.All);
            }

            return mapping;
        }
        catch (YamlException e)
        {
            var inner = e.InnerException?.Message;
            errors.Add(new SourceLocation(source, (int)e.Start.Line, (int)e.Start.Column), $"YAML syntax: {inner ?? e.Message}",
                "check indentation and quoting; values with ': ' or '#' need quotes");
            throw new ScenarioException(errors.All);
        }
        catch (ArgumentException e)
        {
            // The representation model refuses some event sequences the parser accepts (found by mutating
            // shipped scenarios): report where the parser was, not a stack trace.
            var (line, column) = UnsupportedEventAt(substituted);
            errors.Add(new SourceLocation(source, line, column), $"YAML syntax: {e.Message.Split(" (Parameter", 2)[0]}",
                "check indentation and quoting; values with ': ' or '#' need quotes");
            throw new ScenarioException(errors.All);
        }
        catch (InvalidOperationException e)
        {
            // The parser throws this when the text ends inside an open mapping or list.
            errors.Add(new SourceLocation(source, substituted.Split('\n').Length, 1), $"YAML syntax: {e.Message}",
                "a '{' or '[' is not closed, or the file ends in the middle of a value");
            throw new ScenarioException(errors.All);
        }
    }

    /// <summary>Where the first event the representation model cannot hold starts (or where the parser stops), 1-based.</summary>
    private static (int Line, int Column) UnsupportedEventAt(string text)
    {
        var parser = new Parser(new StringReader(text));
        Mark last = Mark.Empty;
        try
        {
            while (parser.MoveNext())
            {
                var current = parser.Current!;
                last = current.Start;
                if (current is not (StreamStart or StreamEnd or DocumentStart or DocumentEnd or MappingStart or MappingEnd
                    or SequenceStart or SequenceEnd or Scalar or AnchorAlias))
                {
                    break;
                }
            }
        }
        catch (YamlException e)
        {
            last = e.Start;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // The parser itself refuses some tags (a '!!int[' that is no URI) with these: the last event read is the place.
        }

        return ((int)Math.Max(1, last.Line), (int)Math.Max(1, last.Column));
    }
}
