using System.Text;

namespace Benchmarks.Stores.Relational.Postgres.Lean;

/// <summary>
/// A statement as the lean client sends it: the scenario's <c>@name</c> parameters numbered <c>$1</c>, <c>$2</c>, …
/// in the order they first appear, as Npgsql rewrites them, and which argument feeds each number. Only the names
/// given are rewritten (another <c>@word</c> stays PostgreSQL's operator, as through Npgsql); string literals, quoted
/// names and comments are left alone. Built once per operation; each connection prepares it on first use.
/// </summary>
internal sealed class LeanPgStatement
{
    /// <param name="text">The statement with <c>@name</c> parameters.</param>
    /// <param name="arguments">The parameters' names in the order the operation passes their values.</param>
    public LeanPgStatement(string text, IReadOnlyList<string> arguments)
    {
        var numbered = new List<int>();
        var sql = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            var skip = c switch
            {
                '\'' or '"' => Quoted(text, i, c),
                '-' when At(text, i + 1) == '-' => End(text, i, "\n"),
                '/' when At(text, i + 1) == '*' => End(text, i + 2, "*/"),
                _ => i,
            };
            if (skip > i)
            {
                sql.Append(text, i, skip - i);
                i = skip;
                continue;
            }

            if (c == '@' && IsNameStart(At(text, i + 1)) && At(text, i - 1) != '@')
            {
                var end = i + 1;
                while (end < text.Length && IsNamePart(text[end]))
                {
                    end++;
                }

                var argument = IndexOf(arguments, text[(i + 1)..end]);
                if (argument >= 0)
                {
                    var number = numbered.IndexOf(argument);
                    if (number < 0)
                    {
                        numbered.Add(argument);
                        number = numbered.Count - 1;
                    }

                    sql.Append('$').Append(number + 1);
                    i = end;
                    continue;
                }
            }

            sql.Append(c);
            i++;
        }

        Text = sql.ToString();
        Order = [.. numbered];
    }

    /// <summary>The statement with <c>$n</c> parameters.</summary>
    public string Text { get; }

    /// <summary>For <c>$n</c>, the index of its argument among those the operation passes: <c>Order[n - 1]</c>.</summary>
    public int[] Order { get; }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (names[i] == name)
            {
                return i;
            }
        }

        return -1;
    }

    private static char At(string text, int i) => i >= 0 && i < text.Length ? text[i] : '\0';

    private static bool IsNameStart(char c) => char.IsLetter(c) || c == '_';

    private static bool IsNamePart(char c) => char.IsLetterOrDigit(c) || c == '_';

    /// <summary>Past the literal or quoted name opening at <paramref name="start"/>: a doubled quote continues it.</summary>
    private static int Quoted(string text, int start, char quote)
    {
        var i = start + 1;
        while (i < text.Length)
        {
            if (text[i] == quote)
            {
                if (At(text, i + 1) != quote)
                {
                    return i + 1;
                }

                i++;
            }

            i++;
        }

        return text.Length;
    }

    private static int End(string text, int from, string terminator)
    {
        var at = text.IndexOf(terminator, from, StringComparison.Ordinal);
        return at < 0 ? text.Length : at + terminator.Length;
    }
}
