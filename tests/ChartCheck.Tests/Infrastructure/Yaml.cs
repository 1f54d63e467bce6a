using YamlDotNet.RepresentationModel;

namespace PublicSafety.ChartCheck.Tests.Infrastructure;

/// <summary>Small helpers over YamlDotNet's representation model.</summary>
public static class Yaml
{
    public static IReadOnlyList<YamlMappingNode> Documents(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>().ToList();
    }

    public static YamlMappingNode Load(string text) => Documents(text).SingleOrDefault() ?? new YamlMappingNode();

    /// <summary>The node at a dotted path (<c>spec.template.spec</c>), or null.</summary>
    public static YamlNode? At(this YamlNode? node, string path)
    {
        foreach (var part in path.Split('.'))
        {
            if (node is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(part), out node))
            {
                return null;
            }
        }

        return node;
    }

    public static string? Scalar(this YamlNode? node, string path) => (node.At(path) as YamlScalarNode)?.Value;

    public static YamlMappingNode Map(this YamlNode? node, string path) => node.At(path) as YamlMappingNode ?? new YamlMappingNode();

    public static IEnumerable<YamlNode> Items(this YamlNode? node, string path) =>
        node.At(path) is YamlSequenceNode seq ? seq.Children : [];

    public static IEnumerable<string> Keys(this YamlMappingNode map) =>
        map.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value ?? "");

    public static bool IsTrue(this YamlNode? node, string path) =>
        string.Equals(node.Scalar(path), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The chart's merge of componentDefaults and a component (templates/_helpers.tpl "publicsafety.deepMerge"): maps merge
    /// recursively, everything else in <paramref name="overlay"/> replaces.
    /// </summary>
    public static YamlMappingNode DeepMerge(YamlMappingNode basis, YamlMappingNode overlay)
    {
        var result = new YamlMappingNode();
        foreach (var (key, value) in basis.Children)
        {
            result.Add(key, value);
        }

        foreach (var (key, value) in overlay.Children)
        {
            result.Children[key] = value is YamlMappingNode o && result.Children.TryGetValue(key, out var b) && b is YamlMappingNode bm
                ? DeepMerge(bm, o)
                : value;
        }

        return result;
    }
}
