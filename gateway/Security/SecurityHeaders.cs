using PublicSafety.Gateway.Routing;

namespace PublicSafety.Gateway.Security;

/// <summary>
/// Browser-hardening headers on every response, whoever produced it (the gateway, a destination, an error handler): set when
/// the response starts, so nothing later can drop them. Server identification from destinations is removed.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>API answers are data, never pages: nothing may load, run or frame them.</summary>
    public const string DefaultPolicy = "default-src 'none'; frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(static state =>
        {
            var context = (HttpContext)state;
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            // A page of the gateway's own (the API reference) sets its policy as a feature, the citizens' pages have theirs;
            // a destination cannot choose.
            headers.ContentSecurityPolicy = context.Features.Get<PagePolicy>()?.Value
                ?? (IsCitizenPage(context.Request.Path) ? CitizenPagePolicy : DefaultPolicy);
            // API answers are personal or operational data: not cached unless the service says otherwise.
            if (string.IsNullOrEmpty(headers.CacheControl))
            {
                headers.CacheControl = "no-store";
            }

            if (context.Request.IsHttps)
            {
                headers.StrictTransportSecurity = "max-age=31536000; includeSubDomains";
            }

            headers.Remove("Server");
            headers.Remove("X-Powered-By");
            headers.Remove("X-AspNet-Version");
            return Task.CompletedTask;
        }, context);
        return next(context);
    });

    /// <summary>
    /// Citizens' pages load their own stylesheet and script (never inline code, never another host), and post forms and
    /// the survey page's one request back to themselves; everything else stays forbidden.
    /// </summary>
    public const string CitizenPagePolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private static bool IsCitizenPage(PathString path) =>
        GatewayServices.All.Any(s => s.PagesPrefix is { } prefix && path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase));
}

/// <summary>The Content-Security-Policy of a page the gateway serves itself.</summary>
public sealed record PagePolicy(string Value);
