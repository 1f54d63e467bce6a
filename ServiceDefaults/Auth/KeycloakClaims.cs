namespace PublicSafety.ServiceDefaults.Auth;

/// <summary>Claim names in Keycloak access tokens (DESIGN §3).</summary>
public static class KeycloakClaims
{
    public const string RealmAccess = "realm_access";
    public const string ResourceAccess = "resource_access";
    public const string AuthorizedParty = "azp";
    public const string PreferredUsername = "preferred_username";
    public const string Region = "region";
}
