namespace PublicSafety.Gateway.Routing;

public static class RouteKinds
{
    public const string Rest = "rest";
    public const string Grpc = "grpc";
    public const string Public = "public";
    public const string Page = "page";
    public const string OpenApi = "openapi";
}

/// <summary>One proxied route, in the terms the landing page shows and the proxy configuration is built from.</summary>
public sealed record GatewayRoute(
    string Id,
    string Kind,
    string Service,
    string Path,
    string ClusterId,
    string AuthorizationPolicy,
    string RateLimiterPolicy,
    string? Method = null,
    string? PathSet = null);
