using PublicSafety.DevToken;

namespace PublicSafety.AppHost.Infrastructure;

/// <summary>
/// What the services are wired to, whichever way it runs: a database per service and the broker as resources with
/// connection strings (so <c>WithReference(database)</c> reads the same), and how tokens are trusted.
/// </summary>
public sealed record PlatformInfrastructure(
    InfrastructureMode Mode,
    IReadOnlyDictionary<string, IResourceBuilder<IResourceWithConnectionString>> Databases,
    IResourceBuilder<IResourceWithConnectionString> Messaging,
    PlatformIdentity Identity)
{
    public IResourceBuilder<IResourceWithConnectionString> Database(string name) => Databases[name];
}

/// <summary>
/// Where tokens come from. Keycloak (a container with the realm export) where containers run; otherwise the development
/// signing key, which only the Development environment trusts (<c>./build.sh token</c> and the tests sign with it).
/// </summary>
public sealed record PlatformIdentity(IResourceBuilder<ContainerResource>? Keycloak, string? SigningKeyFile)
{
    public static PlatformIdentity DevelopmentKey(string path)
    {
        // Created here, before the services start, so that they all read the same key; DevTokens owns its format.
        DevTokens.FromKeyFile(path);
        return new PlatformIdentity(null, path);
    }
}
