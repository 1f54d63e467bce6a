using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using PublicSafety.ServiceDefaults.Auth;
using PublicSafety.ServiceDefaults.Health;
using PublicSafety.ServiceDefaults.Http;
using PublicSafety.ServiceDefaults.Telemetry;

namespace PublicSafety.ServiceDefaults;

/// <summary>What every service and the gateway share. Each concern lives in its own file; this only composes them.</summary>
public static class Extensions
{
    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder)
    {
        builder.AddPlatformTelemetry();
        builder.AddKeycloakAuthentication();
        builder.Services.AddPlatformProblemDetails();
        builder.Services.AddHttpClientDefaults();
        builder.Services.AddOpenApi(o => o.AddBearerSecurityScheme());
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), [HealthTags.Live]);
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(k => k.AddServerHeader = false);
        return builder;
    }

    /// <summary>The shared middleware (errors as problem details, authentication) and endpoints (health, OpenAPI).</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapHealthEndpoints();
        // The contract is public so that agencies can integrate; the data behind it is not.
        app.MapOpenApi().AllowAnonymous();
        return app;
    }
}
