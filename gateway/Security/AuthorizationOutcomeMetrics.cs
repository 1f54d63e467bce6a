using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using PublicSafety.Gateway.Observability;

namespace PublicSafety.Gateway.Security;

/// <summary>
/// Counts challenged and forbidden requests and answers them: 401/403 problems for REST (ASP.NET Core's own handler, then
/// the platform's problem details), trailers-only UNAUTHENTICATED/PERMISSION_DENIED for gRPC, as the services answer.
/// </summary>
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

        if (authorizeResult.Succeeded || !GatewayProblems.IsGrpcCall(context.Request))
        {
            return _default.HandleAsync(next, context, policy, authorizeResult);
        }

        return authorizeResult.Forbidden
            ? GatewayProblems.WriteGrpcStatusAsync(context, Grpc.Core.StatusCode.PermissionDenied, "The caller's token does not grant this method.")
            : GatewayProblems.WriteGrpcStatusAsync(context, Grpc.Core.StatusCode.Unauthenticated, "A valid bearer token is required.");
    }
}
