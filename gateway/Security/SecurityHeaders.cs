using PublicSafety.Gateway.Routing;

namespace PublicSafety.Gateway.Security;

/// <summary>
/// Browser-hardening headers on every response, whoever produced it (the gateway, a destination, an error handler): set when
/// the response starts, so nothing later can drop them. Server identification from destinations is removed.
/// </summary>
public static class SecurityHeaders
{
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(static state =>
        {
            var context = (HttpContext)state;
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers.ContentSecurityPolicy = IsPage(context.Request.Path) ? PagePolicy : "default-src 'none'; frame-ancestors 'none'";
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
    public const string PagePolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private static bool IsPage(PathString path) =>
        GatewayServices.All.Any(s => s.PagesPrefix is { } prefix && path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase));
}
