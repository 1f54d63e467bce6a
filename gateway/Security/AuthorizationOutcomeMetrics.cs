using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using PublicSafety.Gateway.Observability;
using PublicSafety.ServiceDefaults.Grpc.Server;

namespace PublicSafety.Gateway.Security;

/// <summary>
/// Counts challenged and forbidden requests, then lets the platform's handler answer them: 401/403 problems for REST,
/// trailers-only UNAUTHENTICATED/PERMISSION_DENIED for gRPC, exactly as the services themselves would.
/// </summary>
public sealed class AuthorizationOutcomeMetrics(GatewayMetrics metrics) : IAuthorizationMiddlewareResultHandler
{
    private readonly GrpcAuthorizationResultHandler _default = new();

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
