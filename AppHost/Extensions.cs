namespace PublicSafety.AppHost;

/// <summary>What the services and the gateway share in the application model.</summary>
internal static class Extensions
{
    private const string GrpcEndpointName = "grpc";

    /// <summary>
    /// Adds a service or the gateway. Our projects have no launch profiles (the same binary runs under the local stack,
    /// the AppHost and Kubernetes), so the AppHost gives each its HTTP endpoint and environment name, and a readiness
    /// check that <c>WaitFor</c> and the dashboard follow.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddPlatformProject<TProject>(
        this IDistributedApplicationBuilder builder, string name, int? port = null)
        where TProject : IProjectMetadata, new() =>
        builder.AddProject<TProject>(name, launchProfileName: null)
            .WithHttpEndpoint(port: port)
            .WithEnvironment("ASPNETCORE_ENVIRONMENT", builder.Environment.EnvironmentName)
            .WithHttpHealthCheck("/health/ready");

    /// <summary>
    /// Points a project at the <c>public-safety</c> realm. The authority is also the token issuer, so it is the Keycloak
    /// address as the project reaches it; plain HTTP is allowed because the local container serves no TLS; and the
    /// local development signing key is switched off so that only the realm's own keys are trusted.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithKeycloakAuthority(
        this IResourceBuilder<ProjectResource> project, IResourceBuilder<KeycloakResource> keycloak) =>
        project.WithReference(keycloak).WaitFor(keycloak)
            .WithEnvironment("Keycloak__Authority", ReferenceExpression.Create($"{keycloak.GetEndpoint("http")}/realms/public-safety"))
            .WithEnvironment("Keycloak__RequireHttpsMetadata", "false")
            .WithEnvironment("Keycloak__DevelopmentSigningKeyFile", "");

    /// <summary>
    /// Declares a service's gRPC endpoint (DESIGN §5): HTTP/2 cleartext on a port of its own, which the service binds
    /// itself as an Http2-only Kestrel endpoint from <c>GRPC_PORT</c>; callers find it as <c>services__&lt;name&gt;__grpc__0</c>.
    /// Add <c>.WithGrpcEndpoint()</c> after <c>AddPlatformProject</c> once a service serves gRPC.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithGrpcEndpoint(this IResourceBuilder<ProjectResource> service) =>
        service.WithHttpEndpoint(name: GrpcEndpointName, env: "GRPC_PORT")
            .WithEndpoint(GrpcEndpointName, endpoint => endpoint.Transport = "http2")
            // Kestrel must not also bind this port for HTTP/1.1 through ASPNETCORE_URLS.
            .WithEndpointsInEnvironment(endpoint => endpoint.Name != GrpcEndpointName);
}
