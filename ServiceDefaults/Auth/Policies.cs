using Microsoft.AspNetCore.Authorization;

namespace PublicSafety.ServiceDefaults.Auth;

/// <summary>Named authorization policies shared by the gateway and every service.</summary>
public static class Policies
{
    /// <summary>Any role of the service whose roles start with <paramref name="prefix"/>; used for route-level checks.</summary>
    public static string AnyOf(string prefix) => prefix + ".*";

    public static readonly IReadOnlyList<string> ServicePrefixes = ["feedback", "crisis", "cameras", "roadsafety", "probation"];

    internal static void AddPlatformPolicies(this AuthorizationOptions options)
    {
        // Every role policy also demands a scope: a token without a region and without national scope gets nothing,
        // at the gateway and in every service, whatever roles it holds.
        foreach (var role in Roles.All)
        {
            options.AddPolicy(role, p => p.RequireAuthenticatedUser().RequireRole(role).RequireAssertion(HasScope));
        }

        foreach (var prefix in ServicePrefixes)
        {
            options.AddPolicy(AnyOf(prefix), p => p.RequireAuthenticatedUser().RequireRole(Roles.OfService(prefix)).RequireAssertion(HasScope));
        }

        // Endpoints are closed unless they say otherwise: a forgotten RequireAuthorization is a 401, not a leak.
        options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
    }

    private static bool HasScope(AuthorizationHandlerContext context) => context.User.ScopeOrNull() is not null;
}
