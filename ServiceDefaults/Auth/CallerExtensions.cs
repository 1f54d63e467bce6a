using System.Security.Claims;

namespace PublicSafety.ServiceDefaults.Auth;

/// <summary>What a service needs to know about the caller of a request, read from a validated Keycloak token.</summary>
public static class CallerExtensions
{
    /// <summary>The calling client (<c>azp</c>): the agency system or service that obtained the token.</summary>
    public static string? ClientId(this ClaimsPrincipal user) => user.FindFirstValue(KeycloakClaims.AuthorizedParty);

    /// <summary>
    /// The caller's scope, or null if the token grants none. A valid <c>region</c> claim limits the caller to that region
    /// even when the token also holds <see cref="Roles.PlatformNational"/> (the narrower reading wins); without one,
    /// only that role grants the whole country. A missing attribute never widens access.
    /// </summary>
    public static RegionScope? ScopeOrNull(this ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true)
        {
            return null;
        }

        var claim = user.FindFirstValue(KeycloakClaims.Region);
        if (claim is not null)
        {
            return Regions.IsValid(claim) ? RegionScope.Of(claim) : null;
        }

        return user.IsInRole(Roles.PlatformNational) ? RegionScope.National : null;
    }

    /// <summary>The caller's scope; throws <see cref="RegionScopeMissingException"/> (403) if the token grants none.</summary>
    public static RegionScope Scope(this ClaimsPrincipal user) => user.ScopeOrNull() ?? throw new RegionScopeMissingException();

    /// <summary>The region the caller is limited to, or null for national scope; a caller without a scope is refused (403).</summary>
    public static string? Region(this ClaimsPrincipal user) => user.Scope().Region;

    /// <summary>True if the caller may see records of <paramref name="region"/>; false for a caller without a scope.</summary>
    public static bool CanAccessRegion(this ClaimsPrincipal user, string? region) => user.ScopeOrNull()?.Covers(region) == true;
}
