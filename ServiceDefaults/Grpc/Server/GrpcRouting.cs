using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Matching;

namespace PublicSafety.ServiceDefaults.Grpc.Server;

/// <summary>Marks an endpoint as a gRPC method (or the unknown-method fallback).</summary>
public sealed record GrpcMethodMetadata(string Service, string Method)
{
    public string Path => $"/{Service}/{Method}";
}

/// <summary>The gRPC services mapped in this process, for health and for telling an unknown method from an unknown service.</summary>
internal sealed class GrpcServiceRegistry
{
    private readonly HashSet<string> _services = new(StringComparer.Ordinal);

    public bool FallbackMapped { get; set; }

    public void Add(string service)
    {
        lock (_services)
        {
            _services.Add(service);
        }
    }

    public bool Contains(string service)
    {
        lock (_services)
        {
            return _services.Contains(service);
        }
    }
}

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
            var isGrpcMethod = candidates[i].Endpoint.Metadata.GetMetadata<GrpcMethodMetadata>() is not null;
            if (isGrpcMethod != onGrpcEndpoint && candidates.IsValidCandidate(i))
            {
                candidates.SetValidity(i, false);
            }
        }

        return Task.CompletedTask;
    }
}

/// <summary>
/// Authorization failures of gRPC calls as gRPC clients expect them: HTTP 200, trailers-only, UNAUTHENTICATED or
/// PERMISSION_DENIED. A call is gRPC when it reached a mapped gRPC method or, in the gateway (which proxies without
/// knowing the methods), when its content type says so. Methods use the platform's named policies through the usual
/// <c>RequireAuthorization</c>; REST is untouched.
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
            ? GrpcServerCall.WriteTrailersOnlyAsync(context, GrpcStatusCode.PermissionDenied, "The caller's token does not grant this method.")
            : GrpcServerCall.WriteTrailersOnlyAsync(context, GrpcStatusCode.Unauthenticated, "A valid bearer token is required.");
    }

    private static bool IsGrpcCall(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>() is not null
        || GrpcProtocol.IsGrpcContentType(context.Request.ContentType);
}
