using System.Security.Claims;

namespace PublicSafety.ServiceDefaults.Auth;

/// <summary>What a service needs to know about the caller of a request, read from a validated Keycloak token.</summary>
public static class CallerExtensions
{
    /// <summary>The calling client (<c>azp</c>): the agency system or service that obtained the token.</summary>
    public static string? ClientId(this ClaimsPrincipal user) => user.FindFirstValue(KeycloakClaims.AuthorizedParty);

    /// <summary>The ISO 3166-2:KZ region the caller is limited to, or null for national scope.</summary>
    public static string? Region(this ClaimsPrincipal user) => user.FindFirstValue(KeycloakClaims.Region);

    /// <summary>True if the caller may see records of <paramref name="region"/>.</summary>
    public static bool CanAccessRegion(this ClaimsPrincipal user, string region) =>
        user.Region() is not { } own || string.Equals(own, region, StringComparison.OrdinalIgnoreCase);
}
