using Microsoft.AspNetCore.Authorization;
using PublicSafety.Gateway.Apis;
using PublicSafety.Gateway.Hosting;
using PublicSafety.Gateway.Limits;
using PublicSafety.Gateway.Observability;
using PublicSafety.Gateway.Proxy;
using PublicSafety.Gateway.Routing;
using PublicSafety.Gateway.Security;
using PublicSafety.ServiceDefaults.Health;
using Yarp.ReverseProxy.Configuration;

namespace PublicSafety.Gateway.Extensions;

public static class Extensions
{
    /// <summary>Everything the gateway adds to the service defaults (which already bring JWT validation and the policies).</summary>
    public static void AddGateway(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(GatewayOptions.Section);
        var options = section.Get<GatewayOptions>() ?? new GatewayOptions();
        builder.Services.Configure<GatewayOptions>(section);
        builder.AddGatewayKestrel(options);

        builder.Services.AddSingleton<GatewayMetrics>();
        builder.Services.AddRequestSizeLimits();
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, AuthorizationOutcomeMetrics>();
        builder.Services.AddGatewayRateLimiting(options.RateLimits);
        builder.Services.AddDestinationProbe();
        builder.Services.AddHealthChecks().AddCheck<ProxyDestinationsHealthCheck>(ProxyDestinationsHealthCheck.Name, tags: [HealthTags.Ready]);
        // grpc.health.v1 answered by the gateway itself, with what /health/ready answers.
        builder.Services.AddGrpc();
        builder.Services.AddGrpcHealthChecks(o =>
        {
            o.Services.Clear();
            o.Services.Map("", check => check.Tags.Contains(HealthTags.Ready));
        });

        builder.Services.AddSingleton<GatewayRouteTable>();
        builder.Services.AddSingleton<IProxyConfigProvider, GatewayProxyConfigProvider>();
        builder.Services.AddServiceDiscoveryCore().AddConfigurationServiceEndpointProvider();
        builder.Services.AddReverseProxy().AddTransforms<ForwardedHeadersTransform>().AddServiceDiscoveryDestinationResolver();
    }

    /// <summary>
    /// Runs first, before errors, authentication and routing decisions are answered, so that every response (a 401 or a
    /// 413 included) has the correlation id and security headers, and nothing downstream sees a spoofed identity header.
    /// </summary>
    public static void UseGatewayEdge(this WebApplication app)
    {
        app.UseCorrelationId();
        app.UseSecurityHeaders();
        app.UseApiReferencePolicy();
        app.UseTrustedProxies();
        app.UseIdentityHeaderStripping();
        app.UseRequestSizeLimit();
    }

    /// <summary>After authentication, so that the per-client limit can partition on the token's <c>azp</c>.</summary>
    public static void UseGatewayLimits(this WebApplication app) => app.UseRateLimiter();

    public static void MapGatewayApi(this WebApplication app)
    {
        app.MapLandingApi();
        app.MapDestinationsApi();
        app.MapApiReference();
        app.MapGrpcHealthChecksService().AllowAnonymous().RequireRateLimiting(RateLimiting.Anonymous);
    }

    /// <summary>The proxy pipeline without session affinity: the services are stateless.</summary>
    public static void MapGatewayProxy(this WebApplication app) => app.MapReverseProxy(proxy =>
        {
            proxy.UseProxyErrors();
            proxy.UseAnonymousWriteQuota();
            proxy.UseLoadBalancing();
        })
        .ConfigureEndpoints((endpoint, route) =>
        {
            // Citizens' pages are HTML: they get a page's CSP instead of the API's (SecurityHeaders reads it).
            if (route.Metadata?.GetValueOrDefault(GatewayProxyConfigProvider.KindKey) == RouteKinds.Page)
            {
                endpoint.WithMetadata(SecurityHeaders.CitizenPages);
            }
        });
}
