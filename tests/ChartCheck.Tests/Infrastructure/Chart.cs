using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace PublicSafety.ChartCheck.Tests.Infrastructure;

/// <summary>The umbrella chart k8s/publicsafety as the chart check sees it: values, template skeletons, the environment it sets.</summary>
public sealed partial class Chart
{
    public const string Folder = "k8s/publicsafety";

    private Chart()
    {
        Values = Yaml.Load(Repository.Read($"{Folder}/values.yaml"));
        Metadata = Yaml.Load(Repository.Read($"{Folder}/Chart.yaml"));
        Templates = Directory.EnumerateFiles(Repository.PathOf($"{Folder}/templates"))
            .ToDictionary(p => Path.GetFileName(p), File.ReadAllText, StringComparer.Ordinal);
    }

    public static Chart Load() => new();

    public YamlMappingNode Values { get; }

    public YamlMappingNode Metadata { get; }

    /// <summary>File name (deployment.yaml, _helpers.tpl, ...) → raw text.</summary>
    public IReadOnlyDictionary<string, string> Templates { get; }

    public IEnumerable<string> ComponentNames => Values.Map("components").Keys();

    public string AppVersion => Metadata.Scalar("appVersion") ?? "";

    /// <summary>A component's effective settings: componentDefaults overlaid with components.&lt;name&gt;.</summary>
    public YamlMappingNode Component(string name) =>
        Yaml.DeepMerge(Values.Map("componentDefaults"), Values.Map("components").At(name) as YamlMappingNode ?? new YamlMappingNode());

    public bool HasComponent(string name) => Values.Map("components").At(name) is YamlMappingNode;

    /// <summary>The documents of a template once its actions are set aside (<see cref="GoTemplate.Skeleton"/>).</summary>
    public IReadOnlyList<YamlMappingNode> Skeleton(string file) => Yaml.Documents(GoTemplate.Skeleton(Templates[file]));

    public YamlMappingNode? SkeletonOf(string file, string kind) =>
        Skeleton(file).FirstOrDefault(d => d.Scalar("kind") == kind);

    /// <summary>Whether a template renders one object per entry of components (it ranges over .Values.components).</summary>
    public bool RangesOverComponents(string file) =>
        Templates.TryGetValue(file, out var text) && RangeOverComponents().IsMatch(text);

    /// <summary>The non-secret configuration the chart gives every component (the "publicsafety.configData" helper).</summary>
    public string ConfigData => GoTemplate.Define(Templates["_helpers.tpl"], "publicsafety.configData") ?? "";

    public YamlMappingNode ConfigDataSkeleton => Yaml.Load(GoTemplate.Skeleton(ConfigData));

    /// <summary>
    /// The environment variables the chart sets for a component, following the templates: the literal keys of the
    /// ConfigMap data, the literal env of the Deployment, and what the templates derive from values — ConnectionStrings__*
    /// from connectionStrings, secretEnv, env and global.env, services__&lt;callee&gt;__http__0/__grpc__0 from calls.
    /// Literal keys under a condition count as set (e.g. OTEL_EXPORTER_OTLP_ENDPOINT when otlp.endpoint is set).
    /// </summary>
    public IReadOnlyDictionary<string, string> EnvironmentFor(string name)
    {
        var c = Component(name);
        var env = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var key in ConfigDataSkeleton.Keys().Where(k => !GoTemplate.IsPlaceholder(k)))
        {
            env[key] = "ConfigMap (templates/_helpers.tpl publicsafety.configData)";
        }

        var deployment = SkeletonOf("deployment.yaml", "Deployment");
        foreach (var item in deployment.Items("spec.template.spec.containers").SelectMany(x => x.Items("env")))
        {
            if (item.Scalar("name") is { } n && !GoTemplate.IsPlaceholder(n))
            {
                env[n] = "Deployment env (templates/deployment.yaml)";
            }
        }

        var deploymentText = Templates["deployment.yaml"];
        if (ConnectionStringEnv().IsMatch(deploymentText))
        {
            foreach (var connection in c.Map("connectionStrings").Keys())
            {
                env[$"ConnectionStrings__{connection}"] = $"Secret, via components.{name}.connectionStrings.{connection}";
            }
        }

        if (deploymentText.Contains("$c.secretEnv", StringComparison.Ordinal))
        {
            foreach (var variable in c.Map("secretEnv").Keys())
            {
                env[variable] = $"Secret, via components.{name}.secretEnv";
            }
        }

        if (ConfigData.Contains("$c.env", StringComparison.Ordinal))
        {
            foreach (var variable in c.Map("env").Keys())
            {
                env[variable] = $"ConfigMap, via components.{name}.env";
            }
        }

        if (ConfigData.Contains(".Values.global.env", StringComparison.Ordinal))
        {
            foreach (var variable in Values.Map("global").Map("env").Keys())
            {
                env.TryAdd(variable, "ConfigMap, via global.env");
            }
        }

        foreach (var callee in c.Items("calls").OfType<YamlScalarNode>().Select(s => s.Value ?? ""))
        {
            if (ServiceUrl("http").IsMatch(ConfigData))
            {
                env[$"services__{callee}__http__0"] = $"ConfigMap, via components.{name}.calls";
            }

            if (ServiceUrl("grpc").IsMatch(ConfigData) && HasComponent(callee) && Component(callee).IsTrue("grpc.enabled"))
            {
                env[$"services__{callee}__grpc__0"] = $"ConfigMap, via components.{name}.calls";
            }
        }

        return env;
    }

    /// <summary>The port expressions of the Kestrel endpoints the chart configures (http → <c>$c.ports.http</c>).</summary>
    public IReadOnlyDictionary<string, string> KestrelEndpointPorts()
    {
        var ports = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in ConfigDataSkeleton.Keys())
        {
            var m = KestrelUrlKey().Match(key);
            if (m.Success && ConfigDataSkeleton.Scalar(key) is { } url && url.LastIndexOf(':') is var colon and > 0)
            {
                ports[m.Groups["endpoint"].Value] = GoTemplate.ExpressionOf(url[(colon + 1)..]) ?? url[(colon + 1)..];
            }
        }

        return ports;
    }

    private static Regex ServiceUrl(string endpoint) =>
        new(@"services__\{\{\s*\$\w+\s*\}\}__" + endpoint + @"__0:");

    [GeneratedRegex(@"range\s+\$\w+\s*,\s*\$\w+\s*:=\s*\.Values\.components\b")]
    private static partial Regex RangeOverComponents();

    [GeneratedRegex(@"name:\s*ConnectionStrings__\{\{\s*\$\w+\s*\}\}")]
    private static partial Regex ConnectionStringEnv();

    [GeneratedRegex(@"^Kestrel__Endpoints__(?<endpoint>\w+?)__Url$")]
    private static partial Regex KestrelUrlKey();
}
