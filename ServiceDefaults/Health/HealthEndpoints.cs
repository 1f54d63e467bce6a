using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace PublicSafety.ServiceDefaults.Health;

public static class HealthTags
{
    /// <summary>The process is alive: restarting it would not help if this fails.</summary>
    public const string Live = "live";

    /// <summary>The process can serve: its database, broker and schema are there.</summary>
    public const string Ready = "ready";
}

public static class HealthEndpoints
{
    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";

    /// <summary>
    /// Probes for Kubernetes in every environment. They answer only the overall status: anonymous callers
    /// learn nothing about the infrastructure behind a service.
    /// </summary>
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks(LivePath, Options(HealthTags.Live)).AllowAnonymous().DisableHttpMetrics();
        endpoints.MapHealthChecks(ReadyPath, Options(HealthTags.Ready)).AllowAnonymous().DisableHttpMetrics();
        return endpoints;
    }

    private static HealthCheckOptions Options(string tag) => new()
    {
        Predicate = r => r.Tags.Contains(tag),
        ResponseWriter = (context, report) =>
        {
            context.Response.ContentType = "text/plain";
            context.Response.Headers.CacheControl = "no-store";
            return context.Response.WriteAsync(report.Status.ToString());
        },
    };
}
