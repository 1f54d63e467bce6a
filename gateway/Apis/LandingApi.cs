using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using PublicSafety.Gateway.Extensions;
using PublicSafety.Gateway.Limits;
using PublicSafety.Gateway.Routing;

namespace PublicSafety.Gateway.Apis;

public sealed record LandingRoute(string Path, string Service, string Kind, string Policy, string RateLimit, string? Method);

public sealed record LandingService(string Name, string OpenApi);

public sealed record Landing(string Name, string OpenApi, IReadOnlyList<LandingService> Services, IReadOnlyList<LandingRoute> Routes);

public static class LandingApi
{
    /// <summary><c>GET /</c>: what an integrating agency can reach through this gateway, and where each service's contract is.</summary>
    public static RouteHandlerBuilder MapLandingApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/", Describe)
            .AllowAnonymous()
            .RequireRateLimiting(RateLimiting.Anonymous)
            .WithName("gateway-landing")
            .WithSummary("The routes of this gateway and links to each service's OpenAPI document")
            .WithTags("Gateway");

    private static Ok<Landing> Describe(GatewayRouteTable table, IOptions<GatewayOptions> options)
    {
        var limits = options.Value.RateLimits;
        var routes = table.Routes
            .Select(r => new LandingRoute(r.Path, r.Service, r.Kind, r.AuthorizationPolicy, RateLimiting.Describe(r.RateLimiterPolicy, limits), r.Method))
            .ToArray();
        var services = table.Routes
            .Where(r => r.Kind == RouteKinds.OpenApi)
            .Select(r => new LandingService(r.Service, r.Path))
            .ToArray();
        return TypedResults.Ok(new Landing("PublicSafety gateway", "/openapi/v1.json", services, routes));
    }
}
