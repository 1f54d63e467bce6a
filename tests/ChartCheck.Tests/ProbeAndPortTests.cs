using System.Text.Json;
using PublicSafety.ChartCheck.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace PublicSafety.ChartCheck.Tests;

/// <summary>The probes ask the code's health endpoints, on the ports of the Kestrel endpoints the chart configures.</summary>
public sealed class ProbeAndPortTests
{
    private static YamlMappingNode Container =>
        Checked.Chart.SkeletonOf("deployment.yaml", "Deployment").Items("spec.template.spec.containers").OfType<YamlMappingNode>().First();

    private static string? ContainerPort(string name) =>
        Container.Items("ports").FirstOrDefault(p => p.Scalar("name") == name).Scalar("containerPort") is { } port ? GoTemplate.ExpressionOf(port) ?? port : null;

    [Fact]
    public void ProbesUseTheCodesHealthPathsOnTheKestrelHttpEndpoint()
    {
        var problems = new List<string>();
        var kestrel = Checked.Chart.KestrelEndpointPorts();
        if (!kestrel.TryGetValue("http", out var httpPort))
        {
            problems.Add("the chart sets no Kestrel__Endpoints__http__Url (templates/_helpers.tpl publicsafety.configData), so REST would not listen where the probes look");
        }
        else if (ContainerPort("http") != httpPort)
        {
            problems.Add($"the container port named http is {ContainerPort("http") ?? "missing"} but Kestrel__Endpoints__http__Url listens on {httpPort}");
        }

        foreach (var project in Checked.ProjectsWithComponents)
        {
            var code = Checked.Code(project);
            var live = code.Constant("HealthEndpoints.LivePath");
            var ready = code.Constant("HealthEndpoints.ReadyPath");
            if (live is null || ready is null)
            {
                problems.Add($"{project}: no HealthEndpoints.LivePath/ReadyPath constants found in its code or ServiceDefaults");
                continue;
            }

            Expect(problems, project, "livenessProbe", live);
            Expect(problems, project, "readinessProbe", ready);
            if (Container.At("startupProbe.httpGet") is not null)
            {
                Expect(problems, project, "startupProbe", live);
            }
        }

        Problems.AssertNone(problems);
    }

    [Fact]
    public void GrpcProbeTargetsTheKestrelGrpcEndpoint()
    {
        var problems = new List<string>();
        var kestrel = Checked.Chart.KestrelEndpointPorts();
        var grpcProbePort = GoTemplate.ExpressionOf(Container.Scalar("startupProbe.grpc.port"));
        kestrel.TryGetValue("grpc", out var grpcPort);
        if (grpcPort is null)
        {
            problems.Add("the chart sets no Kestrel__Endpoints__grpc__Url for components with grpc.enabled");
        }

        if (Checked.Chart.ConfigDataSkeleton.Scalar("Kestrel__Endpoints__grpc__Protocols") != "Http2")
        {
            problems.Add("Kestrel__Endpoints__grpc__Protocols is not Http2: gRPC without TLS needs an HTTP/2-only (h2c) endpoint");
        }

        if (grpcProbePort is null || grpcProbePort != grpcPort || ContainerPort("grpc") != grpcPort)
        {
            problems.Add($"the startup probe's grpc.port ({grpcProbePort ?? "missing"}), the container port named grpc ({ContainerPort("grpc") ?? "missing"}) " +
                         $"and Kestrel__Endpoints__grpc__Url ({grpcPort ?? "missing"}) must be the same port");
        }

        if (Container.At("startupProbe.grpc") is YamlMappingNode grpc && grpc.Scalar("service") is not "")
        {
            problems.Add("the startup probe's grpc.service must be \"\" (the server's overall grpc.health.v1 status)");
        }

        foreach (var project in Checked.ProjectsWithComponents)
        {
            var c = Checked.Chart.Component(project.Component);
            if (c.IsTrue("grpc.enabled") && (!int.TryParse(c.Scalar("ports.grpc"), out var port) || port is < 1 or > 65535 || c.Scalar("ports.grpc") == c.Scalar("ports.http")))
            {
                problems.Add($"{project}: grpc.enabled needs components.{project.Component}.ports.grpc, a port number other than ports.http");
            }
        }

        Problems.AssertNone(problems);
    }

    [Fact]
    public void GrpcIsExposedAndProbedExactlyWhereTheCodeServesIt()
    {
        var problems = new List<string>();
        foreach (var project in Checked.ProjectsWithComponents)
        {
            var c = Checked.Chart.Component(project.Component);
            var code = Checked.Code(project);
            var servesHealth = GrpcHealthMappings.Any(code.Calls);
            if (c.IsTrue("grpc.enabled") && c.IsTrue("grpc.probe") && !servesHealth)
            {
                problems.Add($"{project}: the chart probes grpc.health.v1 on its gRPC port (components.{project.Component}.grpc.probe) " +
                             $"but the code maps no health service ({string.Join(" or ", GrpcHealthMappings)}); the pods would never start");
            }

            if (!c.IsTrue("grpc.enabled") && (servesHealth || code.Calls(GrpcServerRegistration)))
            {
                problems.Add($"{project} serves gRPC ({GrpcServerRegistration}) but components.{project.Component}.grpc.enabled is off, " +
                             "so the chart opens no gRPC port, Service port or network policy for it");
            }
        }

        if (!Checked.Chart.Templates["deployment.yaml"].Contains("$c.grpc.probe", StringComparison.Ordinal))
        {
            problems.Add("templates/deployment.yaml no longer guards the gRPC probe with grpc.probe");
        }

        Problems.AssertNone(problems);
    }

    /// <summary>
    /// How the code maps grpc.health.v1 (the services through ServiceDefaults/Grpc/Server, the gateway with
    /// Grpc.AspNetCore.HealthChecks directly) and registers its gRPC server.
    /// </summary>
    private static readonly string[] GrpcHealthMappings = ["MapGrpcHealthAndReflection", "MapGrpcHealthChecksService"];
    private const string GrpcServerRegistration = "AddGrpcServer";

    [Fact]
    public void TheCodeDeclaresNoKestrelEndpointTheChartDoesNotSet()
    {
        var chartEndpoints = Checked.Chart.KestrelEndpointPorts().Keys.ToHashSet(StringComparer.OrdinalIgnoreCase);
        Problems.AssertNone(
            from project in Checked.ProjectsWithComponents
            let file = $"{project.Folder}/appsettings.json"
            where File.Exists(Repository.PathOf(file))
            let settings = JsonDocument.Parse(Repository.Read(file), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })
            where settings.RootElement.TryGetProperty("Kestrel", out var k) && k.TryGetProperty("Endpoints", out _)
            from endpoint in settings.RootElement.GetProperty("Kestrel").GetProperty("Endpoints").EnumerateObject()
            where !chartEndpoints.Contains(endpoint.Name)
            select $"{file} declares Kestrel endpoint '{endpoint.Name}', which the chart neither sets nor probes");
    }

    private static void Expect(List<string> problems, WebProject project, string probe, string path)
    {
        var get = Container.At($"{probe}.httpGet");
        if (get.Scalar("path") != path || get.Scalar("port") != "http")
        {
            problems.Add($"{project}: {probe} must be httpGet {path} on port http (found {get.Scalar("path") ?? "no path"} on {get.Scalar("port") ?? "no port"})");
        }
    }
}
