using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using PublicSafety.ServiceDefaults.Auth;

namespace PublicSafety.DevToken;

/// <summary>What to put in a development token; the defaults make a valid token for the local stack.</summary>
public sealed record TokenRequest
{
    public string Issuer { get; init; } = DevTokens.DefaultIssuer;
    public string Audience { get; init; } = DevTokens.DefaultAudience;
    public string Client { get; init; } = "dev-client";
    public string? User { get; init; }
    /// <summary>The one region the token is limited to; null for national scope (or no scope, with <see cref="National"/> false).</summary>
    public string? Region { get; init; }
    /// <summary>With no <see cref="Region"/>: true adds the national-scope role; false makes a token with no scope at all.</summary>
    public bool National { get; init; } = true;
    public IReadOnlyList<string> Roles { get; init; } = [];
    public TimeSpan Lifetime { get; init; } = TimeSpan.FromMinutes(5);
    /// <summary>Shifts issue and expiry times, e.g. into the past to make an expired token.</summary>
    public TimeSpan Offset { get; init; } = TimeSpan.Zero;
}

/// <summary>
/// The local development key (created on first use) and tokens signed with it, for people, tests and benchmarks; the
/// token's shape is <see cref="DevelopmentTokens"/>'s, shared with the services' own Development tokens.
/// </summary>
public sealed class DevTokens(RSA key)
{
    public const string DefaultIssuer = "http://localhost:8180/realms/public-safety";
    public const string DefaultAudience = "public-safety-api";

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

    public string Create(TokenRequest request) => DevelopmentTokens.Create(
        key, request.Issuer, request.Audience, request.Client, request.User, request.Region, request.Roles,
        DateTime.UtcNow + request.Offset, request.Lifetime, request.National);

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
