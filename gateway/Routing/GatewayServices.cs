using PublicSafety.ServiceDefaults.Auth;

namespace PublicSafety.Gateway.Routing;

/// <summary>One service behind the gateway: where its REST and gRPC traffic goes and which roles may reach it.</summary>
/// <param name="Name">The Aspire resource name, which is also the service-discovery key (<c>services:&lt;name&gt;:http:0</c>).</param>
/// <param name="RoutePrefix">The REST prefix the service serves under; the gateway keeps paths as they are.</param>
/// <param name="GrpcPackage">The protobuf package of the service's gRPC contracts.</param>
/// <param name="RolePrefix">The service's role prefix; the route policy is <see cref="Policies.AnyOf"/> of it.</param>
/// <param name="PublicPrefix">An anonymous, citizen-facing sub-path, if the service has one.</param>
/// <param name="PagesPrefix">Anonymous, citizen-facing HTML pages the service serves, if any (they get a page CSP, not the API's).</param>
public sealed record GatewayService(
    string Name, string RoutePrefix, string GrpcPackage, string RolePrefix, string? PublicPrefix = null, string? PagesPrefix = null)
{
    public string Policy => Policies.AnyOf(RolePrefix);

    /// <summary>
    /// The service-discovery name of its REST endpoint: <c>services:&lt;name&gt;:https</c>, else <c>:http</c>, resolved by
    /// Microsoft.Extensions.ServiceDiscovery into the YARP destinations.
    /// </summary>
    public string HttpAddress => $"https+http://{Name}";

    /// <summary>The named endpoint <c>services:&lt;name&gt;:grpc</c> (Aspire's <c>_endpoint.service</c> form).</summary>
    public string GrpcAddress => $"http://_grpc.{Name}";
}

/// <summary>The route table: adding a service to the gateway is one line here plus its service-discovery entries.</summary>
public static class GatewayServices
{
    public static readonly IReadOnlyList<GatewayService> All =
    [
        new("feedback", "/api/feedback", "publicsafety.feedback.v1", "feedback", PublicPrefix: "/api/feedback/public", PagesPrefix: "/citizen"),
        new("crisis-capacity", "/api/crisis", "publicsafety.crisis.v1", "crisis"),
        new("cameras", "/api/cameras", "publicsafety.cameras.v1", "cameras"),
        new("road-safety", "/api/roadsafety", "publicsafety.roadsafety.v1", "roadsafety"),
        new("probation", "/api/probation", "publicsafety.probation.v1", "probation"),
    ];
}
