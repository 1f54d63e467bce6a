using PublicSafety.Gateway.Limits;
using PublicSafety.Gateway.Routing;
using PublicSafety.ServiceDefaults.Auth;
using Scalar.AspNetCore;

namespace PublicSafety.Gateway.Apis;

public static class ApiReferenceApi
{
    public const string Path = "/scalar";

    /// <summary>
    /// <c>GET /scalar</c>: an interactive reference over the OpenAPI documents of the services behind this gateway, anonymous
    /// like the documents. Everything it loads comes from this gateway (Scalar's script is embedded in its package), and
    /// calls tried from it go to this gateway with the caller's bearer token: no fonts, proxy, telemetry or AI agent of
    /// Scalar's own, so no request leaves for a third party (the page's Content-Security-Policy holds it to that).
    /// </summary>
    public static IEndpointConventionBuilder MapApiReference(this IEndpointRouteBuilder app)
    {
        var documents = app.ServiceProvider.GetRequiredService<GatewayRouteTable>().Routes.Where(r => r.Kind == RouteKinds.OpenApi).ToArray();
        return app.MapScalarApiReference(Path, options =>
            {
                options.WithTitle("PublicSafety API")
                    .DisableDefaultFonts()
                    .DisableTelemetry()
                    .DisableAgent()
                    .DisableMcp()
                    .AddPreferredSecuritySchemes([BearerOpenApi.SchemeName])
                    // The documents name the service's own address; agencies call it through this gateway.
                    .AddServer(new ScalarServer("/", "This gateway"));
                foreach (var document in documents)
                {
                    options.AddDocument(document.Service, document.Service, document.Path);
                }
            })
            .AllowAnonymous()
            .RequireRateLimiting(RateLimiting.Anonymous);
    }
}
