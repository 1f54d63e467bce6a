using System.Text;
using System.Text.RegularExpressions;

namespace PublicSafety.ChartCheck.Tests.Infrastructure;

/// <summary>
/// Reads a Helm template without Helm: lines that hold only template actions (control flow, includes) are set aside and
/// every other action becomes a plain placeholder scalar, <c>__tplN__&lt;expression&gt;</c>, so what is left is YAML whose
/// literal parts can be checked. Both branches of an if/else stay, so templates must not repeat a key across branches.
/// </summary>
public static partial class GoTemplate
{
    public const string PlaceholderPrefix = "__tpl";

    public static string Skeleton(string template)
    {
        var text = Comment().Replace(template, "");
        var output = new StringBuilder();
        var counter = 0;
        foreach (var line in text.Split('\n'))
        {
            if (Action().Replace(line, "").Trim().Length == 0 && line.Contains("{{", StringComparison.Ordinal))
            {
                output.Append('\n'); // keep line numbers
                continue;
            }

            output.Append(Action().Replace(line, m => $"{PlaceholderPrefix}{++counter}__{Sanitize(m.Groups["expr"].Value)}")).Append('\n');
        }

        return output.ToString();
    }

    /// <summary>The expression a placeholder stands for (<c>$c.ports.http</c>), or null when <paramref name="scalar"/> is literal.</summary>
    public static string? ExpressionOf(string? scalar)
    {
        var m = scalar is null ? null : PlaceholderIn().Match(scalar);
        return m is { Success: true } ? m.Groups["expr"].Value : null;
    }

    public static bool IsPlaceholder(string scalar) => scalar.Contains(PlaceholderPrefix, StringComparison.Ordinal);

    /// <summary>The body of <c>{{ define "name" }}</c> in <paramref name="template"/>, or null.</summary>
    public static string? Define(string template, string name)
    {
        var start = Regex.Match(template, @"\{\{-?\s*define\s+""" + Regex.Escape(name) + @"""\s*-?\}\}");
        if (!start.Success)
        {
            return null;
        }

        var depth = 1;
        foreach (Match action in Action().Matches(template[(start.Index + start.Length)..]))
        {
            var keyword = Keyword(action.Groups["expr"].Value);
            depth += keyword is "if" or "range" or "with" or "define" or "block" ? 1 : keyword == "end" ? -1 : 0;
            if (depth == 0)
            {
                return template.Substring(start.Index + start.Length, action.Index);
            }
        }

        return null;
    }

    /// <summary>Unbalanced control actions (an if without end, an end too many), as problems naming the line.</summary>
    public static IEnumerable<string> Unbalanced(string template, string file)
    {
        var open = new Stack<(string Keyword, int Line)>();
        var text = Comment().Replace(template, m => new string('\n', m.Value.Count(c => c == '\n')));
        foreach (Match action in Action().Matches(text))
        {
            var line = text[..action.Index].Count(c => c == '\n') + 1;
            var keyword = Keyword(action.Groups["expr"].Value);
            if (keyword is "if" or "range" or "with" or "define" or "block")
            {
                open.Push((keyword, line));
            }
            else if (keyword == "end" && !open.TryPop(out _))
            {
                yield return $"{file}:{line}: {{{{ end }}}} without an open if/range/with/define";
            }
        }

        foreach (var (keyword, line) in open)
        {
            yield return $"{file}:{line}: {{{{ {keyword} }}}} is never closed with {{{{ end }}}}";
        }
    }

    private static string Keyword(string expression)
    {
        var trimmed = expression.Trim();
        var end = trimmed.IndexOfAny([' ', '\t', '(']);
        return end < 0 ? trimmed : trimmed[..end];
    }

    private static string Sanitize(string expression) =>
        NotExpressionChar().Replace(expression.Trim(), "_").Trim('_');

    [GeneratedRegex(@"\{\{-?\s*/\*.*?\*/\s*-?\}\}", RegexOptions.Singleline)]
    private static partial Regex Comment();

    [GeneratedRegex(@"\{\{-?(?<expr>.*?)-?\}\}")]
    private static partial Regex Action();

    [GeneratedRegex(@"__tpl\d+__(?<expr>[A-Za-z0-9_.$]*)")]
    private static partial Regex PlaceholderIn();

    [GeneratedRegex(@"[^A-Za-z0-9_.$]+")]
    private static partial Regex NotExpressionChar();
}
