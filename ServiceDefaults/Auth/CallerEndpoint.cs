using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace PublicSafety.ServiceDefaults.Auth;

/// <summary>What a service makes of the caller's token, so that an integrating agency can check its client's setup.</summary>
public sealed record CallerInfo(string? Client, string? User, string? Region, IReadOnlyList<string> Roles);

public static class CallerEndpoint
{
    /// <summary>
    /// <c>GET /api/&lt;service&gt;/me</c>: the client, user, region and roles this service sees in the token.
    /// Open to any holder of one of the service's roles; it reveals nothing the caller's own token does not carry.
    /// </summary>
    public static RouteHandlerBuilder MapCallerEndpoint(this IEndpointRouteBuilder endpoints, string routePrefix, string rolePrefix) =>
        endpoints.MapGet($"{routePrefix}/me", (ClaimsPrincipal user) => TypedResults.Ok(Describe(user)))
            .RequireAuthorization(Policies.AnyOf(rolePrefix))
            .WithName($"{rolePrefix}-caller")
            .WithSummary("What this service sees of the caller's token")
            .WithTags("Caller");

    public static CallerInfo Describe(ClaimsPrincipal user) => new(
        user.ClientId(),
        user.Identity?.Name,
        user.Region(),
        user.FindAll(ClaimTypes.Role).Select(c => c.Value).Order(StringComparer.Ordinal).ToArray());
}
