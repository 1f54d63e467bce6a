namespace PublicSafety.ServiceDefaults.Auth;

/// <summary>Configuration section <c>Keycloak</c>.</summary>
public sealed class KeycloakOptions
{
    public const string Section = "Keycloak";

    /// <summary>The realm URL, which is also the token issuer: <c>https://keycloak.example/realms/public-safety</c>.</summary>
    public string Authority { get; set; } = "";

    /// <summary>The audience every token must carry (added by the realm's audience mapper).</summary>
    public string Audience { get; set; } = "public-safety-api";

    /// <summary>The client whose <c>resource_access.&lt;client&gt;.roles</c> count as roles here; defaults to <see cref="Audience"/>.</summary>
    public string? ResourceClientId { get; set; }

    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>
    /// How often the realm's signing keys (JWKS) are fetched again, so that a key the realm removed stops being trusted
    /// within this time. JwtBearer's default is 12 hours; 5 minutes is the least Microsoft.IdentityModel accepts.
    /// </summary>
    public TimeSpan SigningKeyRefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long an authenticated identity is remembered by its exact Authorization header at most (capped by
    /// <see cref="SigningKeyRefreshInterval"/>, and by the token's own expiry); after that the token is validated in full
    /// again, or at once when the key that signed it is no longer the realm's (<see cref="AuthenticatedPrincipalCache"/>).
    /// </summary>
    public TimeSpan ValidatedTokenLifetime { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// A PEM file with the local development signing key (made by <c>./build.sh token</c>).
    /// Honoured only when the environment is Development; any other environment ignores it and trusts the realm's JWKS alone.
    /// </summary>
    public string? DevelopmentSigningKeyFile { get; set; }
}
