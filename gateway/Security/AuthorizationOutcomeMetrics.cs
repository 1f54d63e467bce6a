using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using PublicSafety.Gateway.Observability;

namespace PublicSafety.Gateway.Security;

/// <summary>Counts challenged (401) and forbidden (403) requests, then lets the default handler answer them.</summary>
public sealed class AuthorizationOutcomeMetrics(GatewayMetrics metrics) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Challenged)
        {
            metrics.Rejected(RejectionReasons.Unauthenticated);
        }
        else if (authorizeResult.Forbidden)
        {
            metrics.Rejected(RejectionReasons.Forbidden);
        }

        return _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
