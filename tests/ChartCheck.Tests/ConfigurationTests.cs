using System.Text.Json;
using System.Text.RegularExpressions;
using PublicSafety.ChartCheck.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace PublicSafety.ChartCheck.Tests;

/// <summary>Every configuration key the code reads is set by the chart, with the names of DESIGN §2; secrets only from Secrets.</summary>
public sealed partial class ConfigurationTests
{
    /// <summary>Keys the code reads that the chart leaves unset on purpose.</summary>
    private static readonly Dictionary<string, string> NotSetOnPurpose = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Keycloak__DevelopmentSigningKeyFile"] = "honoured only in Development; a cluster must never trust the local signing key",
        ["Keycloak__ResourceClientId"] = "defaults to Keycloak__Audience",
    };

    /// <summary>Keys the code can do without but a cluster must have (DESIGN §2: telemetry names the service and goes to OTLP).</summary>
    private static readonly HashSet<string> ContractKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "OTEL_SERVICE_NAME", "OTEL_EXPORTER_OTLP_ENDPOINT",
    };

    /// <summary>Keys a cluster must never have.</summary>
    private static readonly string[] Forbidden = ["Keycloak__DevelopmentSigningKeyFile"];

    [Fact]
    public void ChartSetsEveryConfigurationKeyTheCodeReads()
    {
        var problems = new List<string>();
        foreach (var project in Checked.ProjectsWithComponents)
        {
            var set = Checked.Chart.EnvironmentFor(project.Component);
            var shipped = AppSettingsKeys(project);
            foreach (var read in Checked.Code(project).Reads.Where(r => r.Required || ContractKeys.Contains(r.Key)).DistinctBy(r => r.Key.ToUpperInvariant()))
            {
                if (!set.ContainsKey(read.Key) && !shipped.Contains(read.Key) && !NotSetOnPurpose.ContainsKey(read.Key))
                {
                    problems.Add($"{project} reads {read.Key} ({read.Where}) but the chart does not set it for component " +
                                 $"{project.Component}: {Hint(read.Key, project.Component)}");
                }
            }
        }

        Problems.AssertNone(problems);
    }

    [Fact]
    public void ChartCallsEveryServiceTheCodeDiscovers()
    {
        var problems = new List<string>();
        foreach (var project in Checked.ProjectsWithComponents.Where(p => Checked.Code(p).DiscoversServicesDynamically))
        {
            var set = Checked.Chart.EnvironmentFor(project.Component);
            var named = Checked.Code(project).OwnStringLiterals;
            foreach (var service in Checked.Chart.ComponentNames.Where(n => n != project.Component && named.Contains(n)))
            {
                if (!set.ContainsKey($"services__{service}__http__0"))
                {
                    problems.Add($"{project} routes to {service} (services:{service}:http:0) but components.{project.Component}.calls " +
                                 $"does not list {service}, so the chart sets no services__{service}__http__0 and no network policy lets it through");
                }
            }
        }

        Problems.AssertNone(problems);
    }

    [Fact]
    public void ChartNeverSetsDevelopmentOnlySettings()
    {
        var problems = new List<string>();
        foreach (var component in Checked.Chart.ComponentNames)
        {
            var set = Checked.Chart.EnvironmentFor(component);
            problems.AddRange(Forbidden.Where(set.ContainsKey).Select(k => $"component {component} sets {k}: {NotSetOnPurpose[k]}"));
        }

        foreach (var file in Checked.ValuesFiles)
        {
            var values = Yaml.Load(Repository.Read($"{Chart.Folder}/{file}"));
            if (string.Equals(values.Scalar("global.environment"), "Development", StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"{file}: global.environment is Development, which trusts the local token signing key");
            }
        }

        Problems.AssertNone(problems);
    }

    [Fact]
    public void SecretsComeFromTheSecretNeverFromAConfigMap()
    {
        var chart = Checked.Chart;
        var problems = new List<string>();
        problems.AddRange(chart.ConfigDataSkeleton.Keys().Where(LooksSecret)
            .Select(k => $"templates/_helpers.tpl puts {k} into the ConfigMap; secrets belong in the Secret"));

        var container = chart.SkeletonOf("deployment.yaml", "Deployment").Items("spec.template.spec.containers").First();
        foreach (var env in container.Items("env"))
        {
            if (env.At("valueFrom.secretKeyRef") is null)
            {
                problems.Add($"templates/deployment.yaml sets {env.Scalar("name")} without a secretKeyRef; plain values go to the ConfigMap");
            }
        }

        if (chart.SkeletonOf("secret.yaml", "Secret") is null)
        {
            problems.Add("templates/secret.yaml renders no Secret for secrets.data");
        }

        if (!chart.Templates["_helpers.tpl"].Contains(".Values.secrets.existingSecret", StringComparison.Ordinal))
        {
            problems.Add("the chart ignores secrets.existingSecret");
        }

        foreach (var file in Checked.ValuesFiles)
        {
            var values = Yaml.Load(Repository.Read($"{Chart.Folder}/{file}"));
            var envMaps = new[] { ("global.env", values.Map("global").Map("env")) }
                .Concat(values.Map("components").Keys().Select(c => ($"components.{c}.env", values.Map("components").Map(c).Map("env"))));
            foreach (var (where, map) in envMaps)
            {
                problems.AddRange(map.Keys().Where(LooksSecret).Select(k => $"{file}: {where}.{k} looks like a secret; use secretEnv and the Secret"));
            }
        }

        if (Yaml.Load(Repository.Read($"{Chart.Folder}/values.yaml")).Map("secrets").Map("data").Children.Count > 0)
        {
            problems.Add("values.yaml ships secrets.data; the defaults must hold no credentials");
        }

        Problems.AssertNone(problems);
    }

    /// <summary>The keys a project's appsettings.json (the production base file in the image) gives a value.</summary>
    private static HashSet<string> AppSettingsKeys(WebProject project)
    {
        var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var file = $"{project.Folder}/appsettings.json";
        if (File.Exists(Repository.PathOf(file)))
        {
            using var json = JsonDocument.Parse(Repository.Read(file), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            Flatten(json.RootElement, "", keys);
        }

        return keys;
    }

    private static void Flatten(JsonElement element, string prefix, HashSet<string> keys)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Flatten(property.Value, prefix.Length == 0 ? property.Name : $"{prefix}__{property.Name}", keys);
                }

                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Flatten(item, $"{prefix}__{i++}", keys);
                }

                break;
            default:
                keys.Add(prefix);
                break;
        }
    }

    private static string Hint(string key, string component) => key switch
    {
        _ when key.StartsWith("ConnectionStrings__", StringComparison.OrdinalIgnoreCase) =>
            $"add {key["ConnectionStrings__".Length..]}: <secret key> under components.{component}.connectionStrings",
        _ when key.StartsWith("services__", StringComparison.OrdinalIgnoreCase) =>
            $"add the called component to components.{component}.calls",
        _ when LooksSecret(key) => $"add {key}: <secret key> under components.{component}.secretEnv",
        _ => $"add {key} under components.{component}.env (or to templates/_helpers.tpl publicsafety.configData if every component needs it)",
    };

    private static bool LooksSecret(string key) => key.StartsWith("ConnectionStrings__", StringComparison.OrdinalIgnoreCase) || SecretWord().IsMatch(key);

    [GeneratedRegex("(?i)password|secret|token|apikey|privatekey")]
    private static partial Regex SecretWord();
}
