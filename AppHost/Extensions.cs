using PublicSafety.AppHost.Infrastructure;

namespace PublicSafety.AppHost;

/// <summary>What the services and the gateway share in the application model.</summary>
internal static class Extensions
{
    private const string GrpcEndpointName = "grpc";

    /// <summary>
    /// A service: its HTTP and gRPC endpoints, its database and the broker (each waited for until healthy), the token
    /// issuer, and a readiness check that <c>WaitFor</c> and the dashboard follow.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddPlatformService<TProject>(
        this IDistributedApplicationBuilder builder, string name, PlatformInfrastructure infrastructure, string database)
        where TProject : IProjectMetadata, new()
    {
        var db = infrastructure.Database(database);
        return builder.AddPlatformProject<TProject>(name, infrastructure)
            .WithGrpcEndpoint(env: "Grpc__Port")
            .WithReference(db).WaitFor(db)
            .WithReference(infrastructure.Messaging).WaitFor(infrastructure.Messaging);
    }

    /// <summary>
    /// A service or the gateway. Our projects have no launch profiles (the same binary runs under the AppHost, the tests and
    /// Kubernetes), so the AppHost gives each its HTTP endpoint and environment name.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddPlatformProject<TProject>(
        this IDistributedApplicationBuilder builder, string name, PlatformInfrastructure infrastructure, int? port = null)
        where TProject : IProjectMetadata, new() =>
        builder.AddProject<TProject>(name, launchProfileName: null)
            .WithBuiltExecutable()
            .WithHttpEndpoint(port: port)
            .WithEnvironment("ASPNETCORE_ENVIRONMENT", builder.Environment.EnvironmentName)
            .WithHttpHealthCheck("/health/ready")
            .WithIdentity(infrastructure.Identity);

    /// <summary>Keycloak's realm where it runs; otherwise the development signing key (Development only).</summary>
    public static IResourceBuilder<ProjectResource> WithIdentity(this IResourceBuilder<ProjectResource> project, PlatformIdentity identity) =>
        identity.Keycloak is { } keycloak
            ? project.WithKeycloakAuthority(keycloak)
            : project.WithEnvironment("Keycloak__DevelopmentSigningKeyFile", identity.SigningKeyFile);

    /// <summary>
    /// Service-to-service credentials: the service's client <c>svc-&lt;name&gt;</c> of the realm where Keycloak runs; with the
    /// development key the service signs its own tokens, as that client with the roles the realm export gives it.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithServiceAccount(
        this IResourceBuilder<ProjectResource> service, PlatformIdentity identity, params string[] realmRoles)
    {
        if (identity.Keycloak is not null)
        {
            return service.WithServiceAccount();
        }

        service.WithEnvironment("Keycloak__ClientId", $"svc-{service.Resource.Name}");
        for (var i = 0; i < realmRoles.Length; i++)
        {
            service.WithEnvironment($"Keycloak__ServiceAccountRoles__{i}", realmRoles[i]);
        }

        return service;
    }

    /// <summary>
    /// A gRPC endpoint (DESIGN §5): HTTP/2 cleartext on a port of its own, published to callers as
    /// <c>services__&lt;name&gt;__grpc__0</c>. A service binds it itself as an Http2-only Kestrel endpoint from <c>Grpc__Port</c>
    /// (ServiceDefaults' GrpcEndpointConfiguration); the gateway from a URL (<see cref="WithGatewayGrpcEndpoint"/>).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithGrpcEndpoint(this IResourceBuilder<ProjectResource> project, string? env = null, int? port = null) =>
        project.WithHttpEndpoint(name: GrpcEndpointName, port: port, env: env)
            .WithEndpoint(GrpcEndpointName, endpoint => endpoint.Transport = "http2")
            // Kestrel must not also bind this port for HTTP/1.1 through ASPNETCORE_URLS.
            .WithEndpointsInEnvironment(endpoint => endpoint.Name != GrpcEndpointName);

    /// <summary>The gateway's h2c endpoint for gRPC clients: the gateway reads it as <c>Gateway__GrpcUrl</c>.</summary>
    public static IResourceBuilder<ProjectResource> WithGatewayGrpcEndpoint(this IResourceBuilder<ProjectResource> gateway, int port)
    {
        gateway.WithGrpcEndpoint(port: port);
        var grpc = gateway.GetEndpoint(GrpcEndpointName);
        return gateway.WithEnvironment("Gateway__GrpcUrl", ReferenceExpression.Create($"http://127.0.0.1:{grpc.Property(EndpointProperty.TargetPort)}"));
    }

    /// <summary>Always together (STYLE: AppHost): the reference and the wait until it is healthy.</summary>
    public static IResourceBuilder<ProjectResource> WithDependency(this IResourceBuilder<ProjectResource> project, IResourceBuilder<IResourceWithServiceDiscovery> other) =>
        project.WithReference(other).WaitFor(other);
}
