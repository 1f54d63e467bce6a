using System.Security.Claims;
using System.Text.Json;

namespace PublicSafety.ServiceDefaults.Auth;

/// <summary>Turns Keycloak's nested role claims into flat role claims that <c>RequireRole</c> understands.</summary>
public static class KeycloakRoleMapper
{
    public static IEnumerable<string> ReadRoles(ClaimsPrincipal principal, string resourceClientId)
    {
        foreach (var claim in principal.FindAll(KeycloakClaims.RealmAccess))
        {
            foreach (var role in RolesIn(claim.Value))
            {
                yield return role;
            }
        }

        // Only the API client's own roles: another client's role with the same name must not grant anything here.
        foreach (var claim in principal.FindAll(KeycloakClaims.ResourceAccess))
        {
            if (TryParse(claim.Value) is { } doc && doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty(resourceClientId, out var client))
            {
                foreach (var role in RolesIn(client.GetRawText()))
                {
                    yield return role;
                }
            }
        }
    }

    private static IEnumerable<string> RolesIn(string json)
    {
        if (TryParse(json) is not { } doc || doc.RootElement.ValueKind != JsonValueKind.Object
            || !doc.RootElement.TryGetProperty("roles", out var roles) || roles.ValueKind != JsonValueKind.Array)
        {
            yield break;
        }

        foreach (var role in roles.EnumerateArray())
        {
            if (role.ValueKind == JsonValueKind.String && role.GetString() is { Length: > 0 } name)
            {
                yield return name;
            }
        }
    }

    private static JsonDocument? TryParse(string json)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
