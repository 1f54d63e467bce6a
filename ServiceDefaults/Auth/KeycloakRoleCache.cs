using System.Collections.Concurrent;
using System.Security.Claims;

namespace PublicSafety.ServiceDefaults.Auth;

/// <summary>
/// The flat roles of a validated token, remembered by the exact text of its <c>realm_access</c> and <c>resource_access</c>
/// claims. The mapping is a function of that text alone, and every token of one client (or of users with the same roles)
/// carries the same text, so the JSON is parsed once per role set instead of on every request: it was a few per cent of
/// a proxied request's CPU (bench/gateway-overhead). Only tokens that passed validation get here, so the entries are the
/// realm's own role sets; their number is bounded all the same.
/// </summary>
public sealed class KeycloakRoleCache(string resourceClientId, int capacity = KeycloakRoleCache.DefaultCapacity)
{
    public const int DefaultCapacity = 1024;

    private readonly ConcurrentDictionary<(string? Realm, string? Resource), string[]> _roles = new();

    /// <summary>Distinct roles, in the order <see cref="KeycloakRoleMapper.ReadRoles"/> finds them. The array is shared: read it only.</summary>
    public IReadOnlyList<string> RolesOf(ClaimsPrincipal principal)
    {
        string? realm = null, resource = null;
        var repeated = false;
        foreach (var claim in principal.Claims)
        {
            if (claim.Type == KeycloakClaims.RealmAccess)
            {
                repeated |= realm is not null;
                realm = claim.Value;
            }
            else if (claim.Type == KeycloakClaims.ResourceAccess)
            {
                repeated |= resource is not null;
                resource = claim.Value;
            }
        }

        // A claim given twice is not a shape Keycloak issues: mapped, but not remembered under one of its values.
        if (repeated)
        {
            return Map(principal);
        }

        var key = (realm, resource);
        if (_roles.TryGetValue(key, out var roles))
        {
            return roles;
        }

        roles = Map(principal);
        // Bounded: a flood of distinct role sets empties the cache rather than growing it.
        if (_roles.Count >= capacity)
        {
            _roles.Clear();
        }

        _roles[key] = roles;
        return roles;
    }

    public int Count => _roles.Count;

    private string[] Map(ClaimsPrincipal principal) =>
        KeycloakRoleMapper.ReadRoles(principal, resourceClientId).Distinct(StringComparer.Ordinal).ToArray();
}
