namespace PublicSafety.AppHost.Infrastructure;

/// <summary>
/// Keycloak as a plain container (the Aspire.Hosting.Keycloak integration is not served here): dev mode, the realm export
/// imported on first start, data in a named volume, readiness from its management port.
/// </summary>
public static class KeycloakContainer
{
    public const string Realm = "public-safety";

    public static IResourceBuilder<ContainerResource> AddKeycloakContainer(this IDistributedApplicationBuilder builder, int port)
    {
        var adminPassword = builder.AddParameter("keycloak-admin-password", new GenerateParameterDefault { MinLength = 16, Special = false }, secret: true, persist: true);
        return builder.AddContainer("keycloak", "quay.io/keycloak/keycloak", "26.4")
            .WithArgs("start-dev", "--import-realm")
            .WithEnvironment("KC_BOOTSTRAP_ADMIN_USERNAME", "admin")
            .WithEnvironment("KC_BOOTSTRAP_ADMIN_PASSWORD", adminPassword)
            .WithEnvironment("KC_HEALTH_ENABLED", "true")
            .WithHttpEndpoint(port: port, targetPort: 8080)
            .WithHttpEndpoint(name: "management", targetPort: 9000)
            .WithHttpHealthCheck("/health/ready", endpointName: "management")
            .WithVolume("publicsafety-keycloak-data", "/opt/keycloak/data")
            .WithBindMount(Path.Combine(Checkout.Root(builder), "keycloak"), "/opt/keycloak/data/import", isReadOnly: true)
            .WithIconName("Key");
    }

    /// <summary>
    /// Points a project at the realm: the authority is also the token issuer, so it is Keycloak's address as the project
    /// reaches it; plain HTTP because the local container serves no TLS; no development key, only the realm's keys.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithKeycloakAuthority(
        this IResourceBuilder<ProjectResource> project, IResourceBuilder<ContainerResource> keycloak) =>
        project.WaitFor(keycloak)
            .WithEnvironment("Keycloak__Authority", ReferenceExpression.Create($"{keycloak.GetEndpoint("http")}/realms/{Realm}"))
            .WithEnvironment("Keycloak__RequireHttpsMetadata", "false")
            .WithEnvironment("Keycloak__DevelopmentSigningKeyFile", "");

    /// <summary>
    /// A service that calls other services gets its own client (<c>svc-&lt;name&gt;</c> in the realm export) for the
    /// client-credentials grant. The secret is generated once (persisted with the AppHost's user secrets) and given both
    /// to Keycloak, whose realm import fills the export's <c>PS_CLIENT_SECRET_SVC_&lt;NAME&gt;</c> placeholder, and to the service.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithServiceAccount(
        this IResourceBuilder<ProjectResource> service, IResourceBuilder<ContainerResource> keycloak)
    {
        var clientId = $"svc-{service.Resource.Name}";
        var secret = service.ApplicationBuilder.AddParameter(
            $"{clientId}-secret", new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true, persist: true);
        keycloak.WithEnvironment($"PS_CLIENT_SECRET_{clientId.ToUpperInvariant().Replace('-', '_')}", secret);
        return service
            .WithEnvironment("Keycloak__ClientId", clientId)
            .WithEnvironment("Keycloak__ClientSecret", secret);
    }
}
