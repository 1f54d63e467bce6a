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
    /// Gives a service that calls other services its own Keycloak client (<c>svc-&lt;name&gt;</c> in the realm export) for
    /// the client-credentials grant. The secret is generated once (persisted with the AppHost's user secrets) and handed
    /// both to Keycloak, whose start-up realm import fills the export's <c>PS_CLIENT_SECRET_SVC_&lt;NAME&gt;</c>
    /// placeholder with it, and to the service.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithServiceAccount(
        this IResourceBuilder<ProjectResource> service, IResourceBuilder<KeycloakResource> keycloak)
    {
        var clientId = $"svc-{service.Resource.Name}";
        var secret = service.ApplicationBuilder.AddParameter(
            $"{clientId}-secret", new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true, persist: true);
        keycloak.WithEnvironment($"PS_CLIENT_SECRET_{clientId.ToUpperInvariant().Replace('-', '_')}", secret);
        return service
            .WithEnvironment("Keycloak__ClientId", clientId)
            .WithEnvironment("Keycloak__ClientSecret", secret);
    }

    /// <summary>
    /// Declares a service's gRPC endpoint (DESIGN §5): HTTP/2 cleartext on a port of its own, which the service binds
    /// itself as an Http2-only Kestrel endpoint from <c>Grpc__Port</c> (ServiceDefaults' GrpcEndpointConfiguration); callers
    /// find it as <c>services__&lt;name&gt;__grpc__0</c>. Every service serves at least the gRPC health service.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithGrpcEndpoint(this IResourceBuilder<ProjectResource> service) =>
        service.WithHttpEndpoint(name: GrpcEndpointName, env: "Grpc__Port")
            .WithEndpoint(GrpcEndpointName, endpoint => endpoint.Transport = "http2")
            // Kestrel must not also bind this port for HTTP/1.1 through ASPNETCORE_URLS.
            .WithEndpointsInEnvironment(endpoint => endpoint.Name != GrpcEndpointName);
}
