using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using PublicSafety.Testing;

namespace PublicSafety.Gateway.Tests.Infrastructure;

/// <summary>
/// A stand-in for the Keycloak realm: a real Kestrel server on loopback publishing OpenID discovery and the realm's
/// signing keys (JWKS), which a test can replace, and Keycloak-shaped access tokens signed with any of its keys.
/// </summary>
public sealed class TestRealm : IAsyncDisposable
{
    private readonly WebApplication _app;
    private volatile RsaSecurityKey[] _published = [];

    private TestRealm(WebApplication app, Uri authority)
    {
        _app = app;
        Authority = authority;
    }

    /// <summary>The realm URL, which is also the tokens' issuer.</summary>
    public Uri Authority { get; }

    public static async Task<TestRealm> StartAsync()
    {
        var port = FreePort.Next();
        var authority = new Uri($"http://127.0.0.1:{port}/realms/test");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        var realm = new TestRealm(app, authority);
        app.MapGet("/realms/test/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, string>
        {
            ["issuer"] = authority.ToString(),
            ["jwks_uri"] = $"{authority}/protocol/openid-connect/certs",
        }));
        app.MapGet("/realms/test/protocol/openid-connect/certs", () => Results.Json(new
        {
            keys = realm._published.Select(k => JsonWebKeyConverter.ConvertFromRSASecurityKey(k)).Select(k => new
            {
                kty = k.Kty, kid = k.Kid, use = "sig", alg = SecurityAlgorithms.RsaSha256, n = k.N, e = k.E,
            }),
        }));
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return realm;
    }

    public static RsaSecurityKey NewKey(string keyId) => new(RSA.Create(2048)) { KeyId = keyId };

    /// <summary>From now on the realm's JWKS holds exactly <paramref name="keys"/>.</summary>
    public void Publish(params RsaSecurityKey[] keys) => _published = keys;

    /// <summary>A national access token of <paramref name="client"/> with <paramref name="roles"/>, signed with <paramref name="key"/>.</summary>
    public string Token(RsaSecurityKey key, string client, TimeSpan lifetime, params string[] roles) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Authority.ToString(),
            Audience = "public-safety-api",
            IssuedAt = DateTime.UtcNow,
            NotBefore = DateTime.UtcNow,
            Expires = DateTime.UtcNow + lifetime,
            Claims = new Dictionary<string, object>
            {
                ["typ"] = "Bearer",
                ["azp"] = client,
                ["sub"] = $"service-account-{client}",
                ["preferred_username"] = $"service-account-{client}",
                ["realm_access"] = new Dictionary<string, object> { ["roles"] = roles.Append("platform.national").ToArray() },
            },
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await _app.DisposeAsync();
    }
}
