using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace PublicSafety.ServiceDefaults.Auth;

/// <summary>
/// The one place that mints Keycloak-shaped access tokens (DESIGN §3) with the local development key: the services'
/// own service-to-service tokens in Development, and <c>tools/DevToken</c> for people, tests and benchmarks, which
/// compiles this file in (so it stands alone: no other ServiceDefaults type). Only services running in the Development
/// environment trust the key (KeycloakAuthentication).
/// </summary>
internal static class DevelopmentTokens
{
    /// <summary>The <c>kid</c> of the development key; KeycloakAuthentication trusts only a key with this id.</summary>
    public const string KeyId = "publicsafety-dev";

    /// <summary><see cref="Roles.PlatformNational"/>, spelled here because the token tool compiles this file alone.</summary>
    public const string NationalRole = "platform.national";

    /// <param name="user">A person's user name, or null for the client's service account.</param>
    /// <param name="region">The one region the token is limited to; null with <paramref name="national"/> for the whole
    /// country, null without it for a token that has no scope (refused by every role policy).</param>
    /// <param name="issuedAt">UTC; in the past for an expired token.</param>
    public static string Create(
        RSA key, string issuer, string audience, string client, string? user, string? region,
        IEnumerable<string> roles, DateTime issuedAt, TimeSpan lifetime, bool national = true)
    {
        if (region is null && national)
        {
            roles = roles.Append(NationalRole).Distinct(StringComparer.Ordinal);
        }

        var principal = user is null ? $"service-account-{client}" : user;
        var claims = new Dictionary<string, object>
        {
            ["typ"] = "Bearer",
            ["azp"] = client,
            ["sub"] = user is null ? principal : $"user-{user}",
            ["preferred_username"] = principal,
            ["realm_access"] = new Dictionary<string, object> { ["roles"] = roles.ToArray() },
            ["scope"] = "profile",
        };
        if (region is not null)
        {
            claims["region"] = region;
        }

        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer.TrimEnd('/'),
            Audience = audience,
            IssuedAt = issuedAt,
            NotBefore = issuedAt,
            Expires = issuedAt + lifetime,
            Claims = claims,
            // No cached signature provider: the cache is keyed by the key's thumbprint, so a later call with a fresh RSA of
            // the same key pair (callers load and dispose one per token) got the provider holding a disposed one.
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(key) { KeyId = KeyId }, SecurityAlgorithms.RsaSha256)
            {
                CryptoProviderFactory = new CryptoProviderFactory { CacheSignatureProviders = false },
            },
        });
    }
}
