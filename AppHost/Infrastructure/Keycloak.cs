using System.Text.Json;
using System.Text.RegularExpressions;

namespace PublicSafety.AppHost.Infrastructure;

/// <summary>
/// Keycloak as a plain container (the Aspire.Hosting.Keycloak integration is not served here): dev mode, the realm export
/// imported on first start, data in a named volume, readiness from its management port.
/// </summary>
public static partial class KeycloakContainer
{
    public const string Realm = "public-safety";

    public static IResourceBuilder<ContainerResource> AddKeycloakContainer(this IDistributedApplicationBuilder builder, int port)
    {
        var adminPassword = builder.AddParameter("keycloak-admin-password", new GenerateParameterDefault { MinLength = 16, Special = false }, secret: true, persist: true);
        var importFolder = Path.Combine(Checkout.Root(builder), "keycloak");
        var keycloak = builder.AddContainer("keycloak", "quay.io/keycloak/keycloak", "26.4")
            .WithArgs("start-dev", "--import-realm")
            .WithEnvironment("KC_BOOTSTRAP_ADMIN_USERNAME", "admin")
            .WithEnvironment("KC_BOOTSTRAP_ADMIN_PASSWORD", adminPassword)
            .WithEnvironment("KC_HEALTH_ENABLED", "true")
            .WithHttpEndpoint(port: port, targetPort: 8080)
            .WithHttpEndpoint(name: "management", targetPort: 9000)
            .WithHttpHealthCheck("/health/ready", endpointName: "management")
            .WithVolume("publicsafety-keycloak-data", "/opt/keycloak/data")
            .WithBindMount(importFolder, "/opt/keycloak/data/import", isReadOnly: true)
            .WithIconName("Key");

        // The export holds no secret (keycloak/README.md, "Client secrets"), and Keycloak's import keeps a placeholder
        // whose variable is unset as the literal text, a secret anyone can read in the repository. So every placeholder
        // the file names gets a generated secret, persisted with the AppHost's user secrets so that it survives the
        // Keycloak volume, and shown on the dashboard's parameters for an agency client's caller.
        foreach (var (clientId, variable) in SecretPlaceholders(Path.Combine(importFolder, "realm-export.json")))
        {
            keycloak.WithEnvironment(variable, builder.AddClientSecret(clientId));
        }

        return keycloak;
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
    /// client-credentials grant, with the secret Keycloak's import was given for it.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithServiceAccount(this IResourceBuilder<ProjectResource> service)
    {
        var clientId = $"svc-{service.Resource.Name}";
        var secret = service.ApplicationBuilder.Resources.OfType<ParameterResource>().SingleOrDefault(p => p.Name == SecretName(clientId))
                     ?? throw new InvalidOperationException($"keycloak/realm-export.json has no client {clientId} with a secret placeholder");
        return service
            .WithEnvironment("Keycloak__ClientId", clientId)
            .WithEnvironment("Keycloak__ClientSecret", secret);
    }

    private static IResourceBuilder<ParameterResource> AddClientSecret(this IDistributedApplicationBuilder builder, string clientId) =>
        builder.AddParameter(SecretName(clientId), new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true, persist: true);

    private static string SecretName(string clientId) => $"{clientId}-secret";

    /// <summary>Every confidential client's <c>${PS_CLIENT_SECRET_...}</c> placeholder, with its client.</summary>
    private static IEnumerable<(string ClientId, string Variable)> SecretPlaceholders(string realmFile)
    {
        using var realm = JsonDocument.Parse(File.ReadAllText(realmFile));
        var placeholders = new List<(string, string)>();
        foreach (var client in realm.RootElement.GetProperty("clients").EnumerateArray())
        {
            if (client.TryGetProperty("secret", out var secret) && Placeholder().Match(secret.GetString() ?? "") is { Success: true } match)
            {
                placeholders.Add((client.GetProperty("clientId").GetString()!, match.Groups[1].Value));
            }
        }

        return placeholders;
    }

    [GeneratedRegex(@"^\$\{([A-Z0-9_]+)\}$")]
    private static partial Regex Placeholder();
}
