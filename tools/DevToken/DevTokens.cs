using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace PublicSafety.DevToken;

/// <summary>What to put in a development token; the defaults make a valid token for the local stack.</summary>
public sealed record TokenRequest
{
    public string Issuer { get; init; } = DevTokens.DefaultIssuer;
    public string Audience { get; init; } = DevTokens.DefaultAudience;
    public string Client { get; init; } = "dev-client";
    public string? User { get; init; }
    public string? Region { get; init; }
    public IReadOnlyList<string> Roles { get; init; } = [];
    public TimeSpan Lifetime { get; init; } = TimeSpan.FromMinutes(5);
    /// <summary>Shifts issue and expiry times, e.g. into the past to make an expired token.</summary>
    public TimeSpan Offset { get; init; } = TimeSpan.Zero;
}

/// <summary>
/// Mints Keycloak-shaped access tokens (DESIGN §3) signed with the local development key, which only services running
/// in the Development environment trust (see ServiceDefaults' KeycloakAuthentication).
/// </summary>
public sealed class DevTokens(RSA key)
{
    public const string DefaultIssuer = "http://localhost:8180/realms/public-safety";
    public const string DefaultAudience = "public-safety-api";

    /// <summary>Must equal KeycloakAuthentication.DevelopmentKeyId; this tool deliberately does not reference the services.</summary>
    public const string KeyId = "publicsafety-dev";

    /// <summary>Loads the key from <paramref name="path"/>, creating a new 2048-bit key there (mode 600) if there is none.</summary>
    public static DevTokens FromKeyFile(string path)
    {
        var rsa = RSA.Create();
        if (File.Exists(path))
        {
            rsa.ImportFromPem(File.ReadAllText(path));
            return new DevTokens(rsa);
        }

        rsa.KeySize = 2048;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temp = path + ".tmp";
        File.WriteAllText(temp, rsa.ExportRSAPrivateKeyPem());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        // Two processes asked for the key at once: the first to finish wins, the other reads it.
        try
        {
            File.Move(temp, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temp);
            rsa.ImportFromPem(File.ReadAllText(path));
        }

        return new DevTokens(rsa);
    }

    public string Create(TokenRequest request)
    {
        var now = DateTime.UtcNow + request.Offset;
        var claims = new Dictionary<string, object>
        {
            ["typ"] = "Bearer",
            ["azp"] = request.Client,
            ["sub"] = request.User is null ? $"service-account-{request.Client}" : $"user-{request.User}",
            ["preferred_username"] = request.User ?? $"service-account-{request.Client}",
            ["realm_access"] = new Dictionary<string, object> { ["roles"] = request.Roles.ToArray() },
            ["scope"] = "profile",
        };
        if (request.Region is not null)
        {
            claims["region"] = request.Region;
        }

        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = request.Issuer,
            Audience = request.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + request.Lifetime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(key) { KeyId = KeyId }, SecurityAlgorithms.RsaSha256),
        });
    }

    /// <summary>An unsigned token (<c>alg: none</c>) with the same claims: services must refuse it.</summary>
    public static string CreateUnsigned(TokenRequest request)
    {
        var signed = new DevTokens(RSA.Create(2048)).Create(request);
        var payload = signed.Split('.')[1];
        var header = Base64UrlEncoder.Encode(JsonSerializer.Serialize(new { alg = "none", typ = "JWT" }));
        return $"{header}.{payload}.";
    }

    public static string DefaultKeyPath(string repositoryRoot) => Path.Combine(repositoryRoot, ".local", "dev-signing-key.pem");
}
