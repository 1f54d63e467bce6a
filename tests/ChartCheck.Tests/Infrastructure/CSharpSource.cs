using System.Text;
using System.Text.RegularExpressions;

namespace PublicSafety.ChartCheck.Tests.Infrastructure;

/// <summary>A C# file with its comments blanked out (strings kept), so that regular expressions see only code.</summary>
public sealed class CSharpSource
{
    public CSharpSource(string path, bool own)
    {
        Path = path;
        Own = own;
        Code = WithoutComments(File.ReadAllText(Repository.PathOf(path)));
    }

    public string Path { get; }

    /// <summary>Whether the file belongs to the project itself (as opposed to a project it references).</summary>
    public bool Own { get; }

    public string Code { get; }

    /// <summary>The files of a project and of the projects it references, transitively (bin/ and obj/ left out).</summary>
    public static IReadOnlyList<CSharpSource> ForProject(string projectFile)
    {
        var projects = new List<string>();
        var pending = new Queue<string>([projectFile]);
        while (pending.TryDequeue(out var project))
        {
            if (projects.Contains(project) || !File.Exists(Repository.PathOf(project)))
            {
                continue;
            }

            projects.Add(project);
            var folder = System.IO.Path.GetDirectoryName(project)!;
            foreach (Match reference in Regex.Matches(Repository.Read(project), """<ProjectReference\s+Include="(?<path>[^"]+)"""))
            {
                var full = System.IO.Path.GetFullPath(System.IO.Path.Combine(Repository.PathOf(folder), reference.Groups["path"].Value.Replace('\\', '/')));
                pending.Enqueue(System.IO.Path.GetRelativePath(Repository.Root, full).Replace('\\', '/'));
            }
        }

        return projects.SelectMany((project, index) =>
            Directory.EnumerateFiles(Repository.PathOf(System.IO.Path.GetDirectoryName(project)!), "*.cs", SearchOption.AllDirectories)
                .Select(p => System.IO.Path.GetRelativePath(Repository.Root, p).Replace('\\', '/'))
                .Where(p => !p.Contains("/bin/", StringComparison.Ordinal) && !p.Contains("/obj/", StringComparison.Ordinal))
                .Select(p => new CSharpSource(p, own: index == 0)))
            .ToList();
    }

    /// <summary>Replaces // and /* */ comments with spaces (keeping offsets and lines); string and char literals stay.</summary>
    public static string WithoutComments(string code)
    {
        var output = new StringBuilder(code);
        var i = 0;
        while (i < code.Length)
        {
            if (code[i] == '/' && i + 1 < code.Length && code[i + 1] == '/')
            {
                while (i < code.Length && code[i] != '\n')
                {
                    output[i++] = ' ';
                }
            }
            else if (code[i] == '/' && i + 1 < code.Length && code[i + 1] == '*')
            {
                var end = code.IndexOf("*/", i + 2, StringComparison.Ordinal);
                end = end < 0 ? code.Length : end + 2;
                for (; i < end; i++)
                {
                    output[i] = code[i] == '\n' ? '\n' : ' ';
                }
            }
            else if (code[i] == '"' || code[i] == '\'')
            {
                i = SkipLiteral(code, i);
            }
            else
            {
                i++;
            }
        }

        return output.ToString();
    }

    /// <summary>The index just after the string or char literal that starts at <paramref name="start"/>.</summary>
    public static int SkipLiteral(string code, int start)
    {
        var quote = code[start];
        var verbatim = quote == '"' && start > 0 && (code[start - 1] == '@' || (start > 1 && code[start - 2] == '@'));
        if (quote == '"' && code.AsSpan(start).StartsWith("\"\"\""))
        {
            var end = code.IndexOf("\"\"\"", start + 3, StringComparison.Ordinal);
            return end < 0 ? code.Length : end + 3;
        }

        for (var i = start + 1; i < code.Length; i++)
        {
            if (!verbatim && code[i] == '\\')
            {
                i++;
            }
            else if (code[i] == quote)
            {
                if (verbatim && i + 1 < code.Length && code[i + 1] == '"')
                {
                    i++;
                    continue;
                }

                return i + 1;
            }
            else if (code[i] == '\n' && !verbatim)
            {
                return i;
            }
        }

        return code.Length;
    }

    /// <summary>The index of the bracket that closes the one at <paramref name="open"/>, skipping literals.</summary>
    public static int Matching(string code, int open)
    {
        var depth = 0;
        for (var i = open; i < code.Length; i++)
        {
            switch (code[i])
            {
                case '"' or '\'':
                    i = SkipLiteral(code, i) - 1;
                    break;
                case '(' or '{' or '[':
                    depth++;
                    break;
                case ')' or '}' or ']':
                    if (--depth == 0)
                    {
                        return i;
                    }

                    break;
            }
        }

        return code.Length - 1;
    }

    /// <summary>Splits an argument or parameter list at its top-level commas.</summary>
    public static IReadOnlyList<string> SplitTopLevel(string list)
    {
        var parts = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < list.Length; i++)
        {
            switch (list[i])
            {
                case '"' or '\'':
                    i = SkipLiteral(list, i) - 1;
                    break;
                case '(' or '{' or '[' or '<':
                    depth++;
                    break;
                case '>' when i > 0 && list[i - 1] == '=':
                    break; // a lambda's =>, not a closing type argument bracket
                case ')' or '}' or ']' or '>':
                    depth--;
                    break;
                case ',' when depth == 0:
                    parts.Add(list[start..i].Trim());
                    start = i + 1;
                    break;
            }
        }

        if (list[start..].Trim() is { Length: > 0 } last)
        {
            parts.Add(last);
        }

        return parts;
    }
}
