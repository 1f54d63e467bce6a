using System.Text.RegularExpressions;

namespace PublicSafety.ChartCheck.Tests.Infrastructure;

/// <summary>A configuration key a project reads, in environment-variable form (<c>Keycloak__Authority</c>).</summary>
/// <param name="Required">False for options properties that have a default (nullable, or initialised to a value).</param>
public sealed record ConfigurationRead(string Key, string Where, bool Required);

/// <summary>
/// What configuration a web project reads, found in its C# sources and those of the projects it references:
/// <c>GetConnectionString(x)</c>, <c>Configuration["X"]</c>, <c>Environment.GetEnvironmentVariable("X")</c>,
/// <c>GetValue&lt;T&gt;("X")</c>, and options bound from <c>GetSection(Section)</c> (their properties). Arguments may be
/// literals, constants, or parameters of the enclosing method, resolved at its call sites. Code of referenced projects
/// counts only where the project reaches it (a method called by name from the project, transitively).
/// </summary>
public sealed partial class CodeConfiguration
{
    private readonly IReadOnlyList<CSharpSource> _sources;
    private readonly Dictionary<string, string?> _constants = new(StringComparer.Ordinal);
    private readonly List<Method> _methods = [];
    private readonly List<ConfigurationRead> _reads = [];
    private readonly HashSet<Method> _reachable = [];

    private CodeConfiguration(WebProject project)
    {
        Project = project;
        _sources = CSharpSource.ForProject(project.ProjectFile);
        CollectConstants();
        CollectMethods();
        Reach();
        foreach (var method in _reachable)
        {
            Scan(method);
        }
    }

    public WebProject Project { get; }

    public IReadOnlyList<ConfigurationRead> Reads => _reads;

    /// <summary>Keys read as <c>services:{name}:...</c> with a name the code computes (the gateway's route table).</summary>
    public bool DiscoversServicesDynamically { get; private set; }

    /// <summary>The string literals of the project's own code (service names the gateway routes to, for instance).</summary>
    public IReadOnlySet<string> OwnStringLiterals =>
        _sources.Where(s => s.Own).SelectMany(s => StringLiteral().Matches(s.Code).Select(m => m.Groups["value"].Value)).ToHashSet(StringComparer.Ordinal);

    public static CodeConfiguration Scan(WebProject project) => new(project);

    /// <summary>Whether code the project reaches calls <paramref name="method"/> (e.g. <c>MapGrpcHealthAndReflection</c>).</summary>
    public bool Calls(string method) =>
        _reachable.Any(m => Regex.IsMatch(m.Body, $@"\b{Regex.Escape(method)}\s*(?:<[^<>()]*>)?\s*\("));

    /// <summary>The value of a string constant (<c>HealthEndpoints.LivePath</c> or <c>LivePath</c>), or null.</summary>
    public string? Constant(string name) => _constants.GetValueOrDefault(name);

    private void CollectConstants()
    {
        foreach (var source in _sources)
        {
            foreach (Match m in ConstantDeclaration().Matches(source.Code))
            {
                var type = TypeDeclaration().Matches(source.Code[..m.Index]).LastOrDefault()?.Groups["name"].Value;
                var value = m.Groups["value"].Value.Replace("\\\\", "\\", StringComparison.Ordinal);
                _constants[$"{type}.{m.Groups["name"].Value}"] = value;
                var simple = m.Groups["name"].Value;
                // An unqualified name that two types declare is ambiguous: only the qualified one resolves.
                _constants[simple] = _constants.TryGetValue(simple, out var existing) && existing != value ? null : value;
            }
        }
    }

    private void CollectMethods()
    {
        foreach (var source in _sources)
        {
            foreach (Match m in MethodHeader().Matches(source.Code))
            {
                var parameters = CSharpSource.SplitTopLevel(m.Groups["params"].Value);
                var isExtension = parameters.Count > 0 && parameters[0].StartsWith("this ", StringComparison.Ordinal);
                var names = parameters.Skip(isExtension ? 1 : 0).Select(ParameterName).ToArray();
                var open = m.Groups["open"].Index;
                var end = m.Groups["open"].Value == "{" ? CSharpSource.Matching(source.Code, open) : ExpressionEnd(source.Code, open);
                _methods.Add(new Method(m.Groups["name"].Value, names, isExtension, source, open, end));
            }

            if (source.Own)
            {
                // Top-level statements and field initialisers: the whole file is reachable.
                _methods.Add(new Method("<file>", [], false, source, 0, source.Code.Length - 1));
            }
        }
    }

    private void Reach()
    {
        var pending = new Queue<Method>(_methods.Where(m => m.Source.Own));
        while (pending.TryDequeue(out var method))
        {
            if (!_reachable.Add(method))
            {
                continue;
            }

            var called = CallName().Matches(method.Body).Select(c => c.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);
            foreach (var target in _methods.Where(t => !t.Source.Own && called.Contains(t.Name) && !_reachable.Contains(t)))
            {
                pending.Enqueue(target);
            }
        }
    }

    private void Scan(Method method)
    {
        var body = method.Body;
        foreach (Match m in ConnectionStringRead().Matches(body))
        {
            AddRead(method, "ConnectionStrings:{0}", m.Groups["arg"].Value, required: true);
        }

        foreach (Match m in IndexerRead().Matches(body))
        {
            // configuration["X"] ?? fallback, configuration["X"] is { } x, IsNullOrWhiteSpace(configuration["X"]): X is optional.
            var optional = HandledAbsence().IsMatch(body[(m.Index + m.Length)..]) || CheckedForAbsence().IsMatch(body[..m.Index]);
            AddRead(method, "{0}", m.Groups["arg"].Value, required: !optional);
        }

        foreach (Match m in EnvironmentRead().Matches(body))
        {
            AddRead(method, "{0}", m.Groups["arg"].Value, required: true);
        }

        foreach (Match m in GetValueRead().Matches(body))
        {
            var args = CSharpSource.SplitTopLevel(m.Groups["args"].Value);
            if (args.Count > 0)
            {
                AddRead(method, "{0}", args[0], required: args.Count == 1);
            }
        }

        foreach (Match m in SectionRead().Matches(body))
        {
            ScanOptions(method, m);
        }
    }

    /// <summary>GetSection(X) bound to an options type: each property of the type is a key X__Property.</summary>
    private void ScanOptions(Method method, Match getSection)
    {
        var section = Resolve(getSection.Groups["arg"].Value, method);
        if (section is null || section.Contains('{', StringComparison.Ordinal))
        {
            return;
        }

        var statementEnd = method.Body.IndexOf(';', getSection.Index);
        var statement = method.Body[getSection.Index..(statementEnd < 0 ? method.Body.Length : statementEnd)];
        var type = OptionsType().Match(statement) is { Success: true } direct ? direct.Groups["type"].Value : null;
        var before = method.Body[..getSection.Index];
        if (type is null && Regex.Match(before, @"(?:Configure|AddOptions)<(?<type>\w+)>\s*\([^;]*$") is { Success: true } configure)
        {
            type = configure.Groups["type"].Value;
        }

        if (type is null && Regex.Match(before, @"var\s+(?<var>\w+)\s*=\s*[^;]*$") is { Success: true } assigned)
        {
            var variable = assigned.Groups["var"].Value;
            var later = method.Body[getSection.Index..];
            type = Regex.Match(later, $@"\b{variable}\s*\.\s*Get<(?<type>\w+)>").Groups["type"].Value is { Length: > 0 } t ? t
                : Regex.Match(later, $@"Configure<(?<type>\w+)>\s*\(\s*{variable}\s*\)").Groups["type"].Value is { Length: > 0 } c ? c
                : null;
        }

        if (type is null)
        {
            return;
        }

        foreach (var (property, required) in OptionsProperties(type))
        {
            _reads.Add(new ConfigurationRead(EnvironmentKey($"{section}:{property}"), $"{method.Source.Path} ({type}.{property})", required));
        }
    }

    private IEnumerable<(string Property, bool Required)> OptionsProperties(string type)
    {
        foreach (var source in _sources)
        {
            var declaration = Regex.Match(source.Code, $@"\b(?:class|record)\s+{type}\b[^{{;]*\{{");
            if (!declaration.Success)
            {
                continue;
            }

            var body = source.Code[declaration.Index..CSharpSource.Matching(source.Code, declaration.Index + declaration.Length - 1)];
            foreach (Match p in OptionsProperty().Matches(body))
            {
                var propertyType = p.Groups["type"].Value.Trim();
                var initializer = p.Groups["init"].Success ? p.Groups["init"].Value.Trim() : null;
                // Only a string or Uri without a usable default must come from configuration; anything else has one.
                var required = p.Groups["required"].Success
                    || (propertyType is "string" or "Uri" && initializer is null or "\"\"" or "string.Empty" or "null!" or "default!");
                yield return (p.Groups["name"].Value, required);
            }

            yield break;
        }
    }

    private void AddRead(Method method, string format, string argument, bool required)
    {
        foreach (var key in ResolveAtCallSites(string.Format(format, Resolve(argument, method) ?? "{?}"), method, depth: 0))
        {
            if (key.StartsWith("services:", StringComparison.OrdinalIgnoreCase) && key.Contains("{?}", StringComparison.Ordinal))
            {
                DiscoversServicesDynamically = true;
                continue;
            }

            if (!key.Contains('{', StringComparison.Ordinal))
            {
                _reads.Add(new ConfigurationRead(EnvironmentKey(key), method.Source.Path, required));
            }
        }
    }

    /// <summary>Replaces holes naming the method's parameters (<c>{connectionName}</c>) by the arguments of its callers.</summary>
    private IEnumerable<string> ResolveAtCallSites(string key, Method method, int depth)
    {
        var holes = method.Parameters.Where(p => key.Contains($"{{{p}}}", StringComparison.Ordinal)).ToList();
        if (holes.Count == 0 || depth > 3)
        {
            yield return Regex.Replace(key, @"\{\w+\}", "{?}");
            yield break;
        }

        foreach (var caller in _reachable)
        {
            foreach (Match call in Regex.Matches(caller.Body, $@"(?<dot>\.)?\b{Regex.Escape(method.Name)}\s*(?:<[^<>()]*>)?\s*\("))
            {
                var open = call.Index + call.Length - 1;
                var args = CSharpSource.SplitTopLevel(caller.Body[(open + 1)..CSharpSource.Matching(caller.Body, open)]);
                var shift = method.IsExtension && !call.Groups["dot"].Success ? 1 : 0;
                var resolved = key;
                foreach (var hole in holes)
                {
                    var index = Array.IndexOf(method.Parameters, hole) + shift;
                    var value = index < args.Count ? Resolve(StripNamedArgument(args[index]), caller) : null;
                    resolved = resolved.Replace($"{{{hole}}}", value ?? "{?}", StringComparison.Ordinal);
                }

                foreach (var result in ResolveAtCallSites(resolved, caller, depth + 1))
                {
                    yield return result;
                }
            }
        }
    }

    /// <summary>A literal, constant, nameof or interpolated string, with parameters of the method left as {name} holes.</summary>
    private string? Resolve(string expression, Method method)
    {
        expression = expression.Trim();
        if (expression.StartsWith("$\"", StringComparison.Ordinal) && expression.EndsWith('"'))
        {
            return Regex.Replace(expression[2..^1], @"\{(?<hole>[^{}:]+)(?::[^{}]*)?\}", h => Resolve(h.Groups["hole"].Value, method) ?? "{?}");
        }

        if (expression.StartsWith('"') && expression.EndsWith('"'))
        {
            return expression[1..^1];
        }

        if (Regex.Match(expression, @"^nameof\((?:[\w.]*\.)?(?<name>\w+)\)$") is { Success: true } nameOf)
        {
            return nameOf.Groups["name"].Value;
        }

        if (method.Parameters.Contains(expression))
        {
            return $"{{{expression}}}";
        }

        if (Regex.IsMatch(expression, @"^[\w.]+$"))
        {
            var parts = expression.Split('.');
            if (parts.Length >= 2 && !char.IsUpper(parts[^2][0]))
            {
                return null; // a member of a variable (service.Name), not a constant
            }

            var qualified = parts.Length >= 2 ? $"{parts[^2]}.{parts[^1]}" : null;
            if (qualified is not null && _constants.TryGetValue(qualified, out var q) && q is not null)
            {
                return q;
            }

            var sameFile = ConstantDeclaration().Matches(method.Source.Code).FirstOrDefault(c => c.Groups["name"].Value == parts[^1]);
            return sameFile?.Groups["value"].Value ?? _constants.GetValueOrDefault(parts[^1]);
        }

        return null;
    }

    public static string EnvironmentKey(string key) => key.Replace(":", "__", StringComparison.Ordinal);

    private static string StripNamedArgument(string argument) =>
        Regex.Match(argument, @"^\w+\s*:\s*(?<value>.+)$", RegexOptions.Singleline) is { Success: true } m && !argument.StartsWith('"')
            ? m.Groups["value"].Value
            : argument;

    private static string ParameterName(string parameter)
    {
        var withoutDefault = parameter.Split('=')[0].Trim();
        return Regex.Match(withoutDefault, @"(?<name>\w+)$").Groups["name"].Value;
    }

    private static int ExpressionEnd(string code, int arrow)
    {
        var depth = 0;
        for (var i = arrow + 2; i < code.Length; i++)
        {
            switch (code[i])
            {
                case '"' or '\'':
                    i = CSharpSource.SkipLiteral(code, i) - 1;
                    break;
                case '(' or '{' or '[':
                    depth++;
                    break;
                case ')' or '}' or ']':
                    depth--;
                    break;
                case ';' when depth <= 0:
                    return i;
            }
        }

        return code.Length - 1;
    }

    private sealed record Method(string Name, string[] Parameters, bool IsExtension, CSharpSource Source, int Start, int End)
    {
        public string Body => Source.Code[Start..(End + 1)];
    }

    [GeneratedRegex("""const\s+string\s+(?<name>\w+)\s*=\s*"(?<value>(?:[^"\\]|\\.)*)"\s*;""")]
    private static partial Regex ConstantDeclaration();

    [GeneratedRegex(@"\b(?:class|record|struct|interface)\s+(?<name>\w+)")]
    private static partial Regex TypeDeclaration();

    [GeneratedRegex(@"(?:(?:public|internal|private|protected|static|async|override|virtual|sealed|new|extern|unsafe)\s+)+(?:[\w<>\[\],.?]+(?:\s*,\s*[\w<>\[\].?]+)*\s+)?(?<name>\w+)\s*(?:<[^<>()]*>)?\s*\((?<params>[^()]*(?:\([^()]*\)[^()]*)*)\)\s*(?:where\s[^{;=]*)?(?<open>\{|=>)")]
    private static partial Regex MethodHeader();

    [GeneratedRegex(@"\b(?<name>\w+)\s*(?:<[^<>();]*>)?\s*\(")]
    private static partial Regex CallName();

    [GeneratedRegex(@"GetConnectionString\s*\(\s*(?<arg>[^()]*?)\s*\)")]
    private static partial Regex ConnectionStringRead();

    [GeneratedRegex(@"\b(?:\w+\.)*\w*[Cc]onfig(?:uration)?\s*\[\s*(?<arg>[^\]]+?)\s*\]")]
    private static partial Regex IndexerRead();

    [GeneratedRegex(@"^\s*(?:\?\?|is\s)")]
    private static partial Regex HandledAbsence();

    [GeneratedRegex(@"IsNullOr(?:WhiteSpace|Empty)\(\s*$")]
    private static partial Regex CheckedForAbsence();

    [GeneratedRegex(@"Environment\.GetEnvironmentVariable\s*\(\s*(?<arg>[^()]*?)\s*\)")]
    private static partial Regex EnvironmentRead();

    [GeneratedRegex(@"GetValue<[^<>]+>\s*\((?<args>[^()]*)\)")]
    private static partial Regex GetValueRead();

    [GeneratedRegex(@"(?:GetSection|BindConfiguration)\s*\(\s*(?<arg>[^()]*?)\s*\)")]
    private static partial Regex SectionRead();

    [GeneratedRegex(@"(?:\.Get|\.Bind|AddOptions)<(?<type>\w+)>")]
    private static partial Regex OptionsType();

    [GeneratedRegex(@"public\s+(?<required>required\s+)?(?<type>[\w<>\[\],.? ]+?)\s+(?<name>\w+)\s*\{\s*get;\s*(?:set|init);\s*\}(?:\s*=\s*(?<init>[^;]+);)?")]
    private static partial Regex OptionsProperty();

    [GeneratedRegex(@"(?<![\w@$])""(?<value>[a-z][a-z0-9-]*)""")]
    private static partial Regex StringLiteral();
}
