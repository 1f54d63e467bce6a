using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Matching;

namespace PublicSafety.ServiceDefaults.Grpc.Server;

/// <summary>gRPC methods answer only on the grpc endpoint, and the grpc endpoint answers nothing else.</summary>
internal sealed class GrpcEndpointMatcherPolicy : MatcherPolicy, IEndpointSelectorPolicy
{
    public override int Order => 0;

    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints) => true;

    public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
    {
        var onGrpcEndpoint = GrpcEndpointConfiguration.IsGrpcConnection(httpContext);
        for (var i = 0; i < candidates.Count; i++)
        {
            if (candidates.IsValidCandidate(i) && IsGrpc(candidates[i].Endpoint) != onGrpcEndpoint)
            {
                candidates.SetValidity(i, false);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// A method grpc-dotnet mapped, or one of the endpoints it maps to answer UNIMPLEMENTED for unknown services and methods
    /// (they carry no metadata of their own, only a route constraint).
    /// </summary>
    private static bool IsGrpc(Endpoint endpoint) =>
        endpoint.Metadata.GetMetadata<GrpcMethodMetadata>() is not null
        || endpoint is RouteEndpoint route && route.RoutePattern.ParameterPolicies.Values
            .Any(policies => policies.Any(p => p.Content?.StartsWith("grpcunimplemented", StringComparison.Ordinal) == true));
}

/// <summary>
/// Authorization failures of gRPC calls as gRPC clients expect them: HTTP 200, trailers-only, UNAUTHENTICATED or
/// PERMISSION_DENIED with a message (ASP.NET Core would answer HTTP 401/403, which clients only map to a bare status).
/// A call is gRPC when it reached a gRPC method or, in the gateway (which proxies without knowing the methods), when its
/// content type says so. Methods use the platform's named policies through <c>RequireAuthorization</c>; REST is untouched.
/// </summary>
public sealed class GrpcAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Succeeded || !IsGrpcCall(context))
        {
            return _default.HandleAsync(next, context, policy, authorizeResult);
        }

        return authorizeResult.Forbidden
            ? WriteTrailersOnlyAsync(context, Status.PermissionDenied, "The caller's token does not grant this method.")
            : WriteTrailersOnlyAsync(context, Status.Unauthenticated, "A valid bearer token is required.");
    }

    private static class Status
    {
        public const string PermissionDenied = "7";
        public const string Unauthenticated = "16";
    }

    private static bool IsGrpcCall(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>() is not null || IsGrpcContentType(context.Request.ContentType);

    /// <summary><c>application/grpc</c>, <c>application/grpc+proto</c> or either with parameters; not <c>application/grpc-web</c>.</summary>
    private static bool IsGrpcContentType(string? contentType)
    {
        const string Grpc = "application/grpc";
        if (contentType is null || !contentType.StartsWith(Grpc, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return contentType.Length == Grpc.Length || contentType[Grpc.Length] is ';' or '+';
    }

    private static Task WriteTrailersOnlyAsync(HttpContext http, string status, string message)
    {
        // UseStatusCodePages would put a problem+json body into a gRPC response.
        if (http.Features.Get<IStatusCodePagesFeature>() is { } pages)
        {
            pages.Enabled = false;
        }

        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "application/grpc";
        http.Response.Headers["grpc-status"] = status;
        http.Response.Headers["grpc-message"] = message;
        return Task.CompletedTask;
    }
}
