using System.Security.Cryptography;

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
        EnsureKey(path);
        return new PlatformIdentity(null, path);
    }

    /// <summary>A 2048-bit RSA key in PEM, as tools/DevToken makes it, when there is none yet.</summary>
    private static void EnsureKey(string path)
    {
        if (File.Exists(path))
        {
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var rsa = RSA.Create(2048);
        var temp = path + ".tmp";
        File.WriteAllText(temp, rsa.ExportRSAPrivateKeyPem());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        try
        {
            File.Move(temp, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temp); // someone else made it first
        }
    }
}
