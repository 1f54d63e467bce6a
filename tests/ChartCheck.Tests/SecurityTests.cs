using PublicSafety.ChartCheck.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace PublicSafety.ChartCheck.Tests;

/// <summary>Every component runs restricted, with resources, behind network policies.</summary>
public sealed class SecurityTests
{
    [Fact]
    public void EveryComponentRunsWithTheRestrictedSecurityContext()
    {
        var chart = Checked.Chart;
        var pod = chart.SkeletonOf("deployment.yaml", "Deployment").At("spec.template.spec");
        var container = pod.Items("containers").FirstOrDefault();
        var problems = new List<string>();
        void Expect(YamlNode? node, string path, string value, string where)
        {
            if (node.Scalar(path) != value)
            {
                problems.Add($"templates/deployment.yaml: {where}.{path} must be {value} (found {node.Scalar(path) ?? "nothing"}), for every component");
            }
        }

        Expect(pod, "securityContext.runAsNonRoot", "true", "pod");
        Expect(pod, "securityContext.runAsUser", "1654", "pod");
        Expect(pod, "securityContext.seccompProfile.type", "RuntimeDefault", "pod");
        Expect(pod, "automountServiceAccountToken", "false", "pod");
        Expect(container, "securityContext.runAsNonRoot", "true", "container");
        Expect(container, "securityContext.allowPrivilegeEscalation", "false", "container");
        Expect(container, "securityContext.readOnlyRootFilesystem", "true", "container");
        Expect(container, "securityContext.seccompProfile.type", "RuntimeDefault", "container");
        if (!container.Items("securityContext.capabilities.drop").OfType<YamlScalarNode>().Any(s => s.Value == "ALL"))
        {
            problems.Add("templates/deployment.yaml: the container must drop ALL capabilities");
        }

        var tmp = container.Items("volumeMounts").FirstOrDefault(m => m.Scalar("mountPath") == "/tmp")?.Scalar("name");
        if (tmp is null || pod.Items("volumes").FirstOrDefault(v => v.Scalar("name") == tmp)?.At("emptyDir") is null)
        {
            problems.Add("templates/deployment.yaml: /tmp must be an emptyDir (the only writable path under readOnlyRootFilesystem)");
        }

        if (container.At("lifecycle.preStop") is null || pod.Scalar("terminationGracePeriodSeconds") is null)
        {
            problems.Add("templates/deployment.yaml: graceful shutdown needs lifecycle.preStop and terminationGracePeriodSeconds");
        }

        if (pod.At("topologySpreadConstraints") is null)
        {
            problems.Add("templates/deployment.yaml: no topologySpreadConstraints");
        }

        if (chart.SkeletonOf("serviceaccount.yaml", "ServiceAccount").Scalar("automountServiceAccountToken") != "false")
        {
            problems.Add("templates/serviceaccount.yaml: automountServiceAccountToken must be false");
        }

        foreach (var file in Checked.ValuesFiles)
        {
            var values = Yaml.Load(Repository.Read($"{Chart.Folder}/{file}"));
            var overrides = values.Map("components").Keys().Where(c => values.Map("components").Map(c).At("securityContext") is not null);
            problems.AddRange(overrides.Select(c => $"{file}: components.{c}.securityContext is ignored by the chart; the security context is not negotiable"));
        }

        Problems.AssertNone(problems);
    }

    [Fact]
    public void EveryComponentHasResourceRequestsAndLimits()
    {
        var problems = new List<string>();
        foreach (var file in Checked.ValuesFiles)
        {
            var values = Overlay(file);
            foreach (var component in values.Map("components").Keys())
            {
                var c = Yaml.DeepMerge(values.Map("componentDefaults"), values.Map("components").Map(component));
                foreach (var path in new[] { "requests.cpu", "requests.memory", "limits.cpu", "limits.memory" })
                {
                    if (string.IsNullOrWhiteSpace(c.Map("resources").Scalar(path)))
                    {
                        problems.Add($"{file}: component {component} has no resources.{path}");
                    }
                }
            }
        }

        if (Checked.Chart.Templates["deployment.yaml"].Contains("$c.resources", StringComparison.Ordinal) is false)
        {
            problems.Add("templates/deployment.yaml does not render $c.resources");
        }

        Problems.AssertNone(problems);
    }

    [Fact]
    public void EveryComponentHasANetworkPolicyCoveringWhatItTalksTo()
    {
        var chart = Checked.Chart;
        var problems = new List<string>();
        if (!chart.Values.IsTrue("networkPolicy.enabled"))
        {
            problems.Add("values.yaml: networkPolicy.enabled must default to true");
        }

        var policies = chart.Skeleton("networkpolicy.yaml").Where(d => d.Scalar("kind") == "NetworkPolicy").ToList();
        if (!chart.RangesOverComponents("networkpolicy.yaml") || policies.Count < 2)
        {
            problems.Add("templates/networkpolicy.yaml must render a default-deny policy and one policy per component");
        }

        foreach (var policy in policies)
        {
            var types = policy.Items("spec.policyTypes").OfType<YamlScalarNode>().Select(s => s.Value).ToList();
            if (!types.Contains("Ingress") || !types.Contains("Egress"))
            {
                problems.Add($"templates/networkpolicy.yaml: policy {policy.Scalar("metadata.name")} must restrict both Ingress and Egress");
            }
        }

        var gateway = Checked.Projects.FirstOrDefault(p => p.IsGateway);
        if (gateway is not null && chart.Values.Scalar("ingress.component") != gateway.Component)
        {
            problems.Add($"values.yaml: ingress.component must be {gateway.Component}: only the gateway is reachable from the ingress controller");
        }

        if (chart.Values.Map("networkPolicy").Map("ingressController").Map("namespaceSelector").Children.Count == 0)
        {
            problems.Add("values.yaml: networkPolicy.ingressController.namespaceSelector is empty, which admits every namespace");
        }

        var defined = chart.Values.Map("networkPolicy").Map("egress").Keys().ToHashSet(StringComparer.Ordinal);
        foreach (var project in Checked.ProjectsWithComponents)
        {
            var c = chart.Component(project.Component);
            var egress = c.Items("egress").OfType<YamlScalarNode>().Select(s => s.Value ?? "").ToHashSet(StringComparer.Ordinal);
            problems.AddRange(egress.Where(e => !defined.Contains(e)).Select(e => $"{project}: components.{project.Component}.egress names {e}, which networkPolicy.egress does not define"));
            problems.AddRange(c.Items("calls").OfType<YamlScalarNode>().Where(s => !chart.HasComponent(s.Value ?? ""))
                .Select(s => $"{project}: components.{project.Component}.calls names {s.Value}, which is not a component"));

            var reads = Checked.Code(project).Reads.Select(r => r.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
            void Needs(bool condition, string system, string why)
            {
                if (condition && !egress.Contains(system))
                {
                    problems.Add($"{project}: {why}, but components.{project.Component}.egress does not list {system}");
                }
            }

            Needs(reads.Any(k => k.StartsWith("ConnectionStrings__", StringComparison.OrdinalIgnoreCase) && !k.Equals("ConnectionStrings__messaging", StringComparison.OrdinalIgnoreCase)),
                "postgres", "it reads a database connection string");
            Needs(reads.Contains("ConnectionStrings__messaging"), "rabbitmq", "it reads ConnectionStrings__messaging");
            Needs(reads.Contains("Keycloak__Authority"), "keycloak", "it validates tokens against Keycloak__Authority (JWKS)");
            Needs(reads.Contains("OTEL_EXPORTER_OTLP_ENDPOINT"), "otlp", "it exports telemetry to OTEL_EXPORTER_OTLP_ENDPOINT");
        }

        Problems.AssertNone(problems);
    }

    [Fact]
    public void NoImageUsesLatest()
    {
        var problems = new List<string>();
        if (Checked.Chart.AppVersion is "" or "latest")
        {
            problems.Add($"Chart.yaml: appVersion is '{Checked.Chart.AppVersion}'; it is the default image tag and must be a version");
        }

        foreach (var file in Checked.ValuesFiles)
        {
            var values = Overlay(file);
            foreach (var component in values.Map("components").Keys())
            {
                var image = Yaml.DeepMerge(values.Map("componentDefaults"), values.Map("components").Map(component)).Map("image");
                if (image.Scalar("tag") is "latest" || (image.Scalar("repository") ?? "").EndsWith(":latest", StringComparison.Ordinal))
                {
                    problems.Add($"{file}: component {component} uses the image tag latest");
                }
            }

            foreach (var line in Repository.Read($"{Chart.Folder}/{file}").Split('\n').Where(l => l.Contains(":latest") || l.Trim() is "tag: latest" or "tag: \"latest\""))
            {
                problems.Add($"{file}: '{line.Trim()}' uses latest");
            }
        }

        foreach (var (file, text) in Checked.Chart.Templates)
        {
            problems.AddRange(text.Split('\n').Where(l => l.Contains("image:") && l.Contains("latest"))
                .Select(l => $"templates/{file}: '{l.Trim()}' uses latest"));
        }

        if (!Checked.Chart.Templates["_helpers.tpl"].Contains("\"latest\"", StringComparison.Ordinal))
        {
            problems.Add("templates/_helpers.tpl no longer refuses the tag latest at render time");
        }

        Problems.AssertNone(problems);
    }

    /// <summary>values.yaml with <paramref name="file"/> laid over it, as Helm combines them (maps merge, the rest replaces).</summary>
    internal static YamlMappingNode Overlay(string file)
    {
        var values = Yaml.Load(Repository.Read($"{Chart.Folder}/values.yaml"));
        return file == "values.yaml" ? values : Yaml.DeepMerge(values, Yaml.Load(Repository.Read($"{Chart.Folder}/{file}")));
    }
}
