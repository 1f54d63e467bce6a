using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using PublicSafety.Testing;

namespace PublicSafety.AppHost.Tests;

/// <summary>
/// Container mode's application model, built but not started (no container runtime is needed): the realm export has no
/// secret of its own, so Keycloak must get every client secret it names and each calling service the same secret.
/// </summary>
public sealed partial class KeycloakSecretsTests
{
    [Fact]
    public async Task KeycloakGetsEverySecretTheRealmNamesAndTheCallingServicesTheirOwn()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.PublicSafety_AppHost>(
            ["--PublicSafety:Infrastructure=Containers"], (options, _) => options.DisableDashboard = true, timeout.Token);

        // Publish mode shows a parameter as its reference, so nothing is generated or persisted here.
        var keycloak = await Environment(builder, "keycloak");
        var placeholders = RealmSecretPlaceholders();
        Assert.NotEmpty(placeholders);
        foreach (var (clientId, variable) in placeholders)
        {
            Assert.True(keycloak.TryGetValue(variable, out var value), $"Keycloak is not given {variable} (client {clientId})");
            Assert.Equal($"{{{clientId}-secret.value}}", value);
        }

        foreach (var service in new[] { "road-safety", "probation" })
        {
            var environment = await Environment(builder, service);
            Assert.Equal($"svc-{service}", environment["Keycloak__ClientId"]);
            Assert.Equal($"{{svc-{service}-secret.value}}", environment["Keycloak__ClientSecret"]);
        }
    }

    private static async Task<IReadOnlyDictionary<string, string>> Environment(IDistributedApplicationTestingBuilder builder, string name)
    {
        var configuration = await ExecutionConfigurationBuilder.Create(builder.Resources.Single(r => r.Name == name))
            .WithEnvironmentVariablesConfig()
            .BuildAsync(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Publish), NullLogger.Instance, CancellationToken.None);
        Assert.Null(configuration.Exception);
        return configuration.EnvironmentVariables.ToDictionary();
    }

    private static List<(string ClientId, string Variable)> RealmSecretPlaceholders()
    {
        using var realm = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestEnvironment.RepositoryRoot, "keycloak", "realm-export.json")));
        return realm.RootElement.GetProperty("clients").EnumerateArray()
            .Where(c => c.TryGetProperty("secret", out _))
            .Select(c => (c.GetProperty("clientId").GetString()!, Placeholder().Match(c.GetProperty("secret").GetString()!).Groups[1].Value))
            .ToList();
    }

    [GeneratedRegex(@"^\$\{([A-Z0-9_]+)\}$")]
    private static partial Regex Placeholder();
}
