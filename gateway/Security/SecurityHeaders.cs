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
            // A page the gateway serves itself sets its policy as a request feature (the API reference's depends on the response);
            // a proxied page route carries its policy as endpoint metadata. A destination cannot choose.
            headers.ContentSecurityPolicy = (context.Features.Get<PagePolicy>() ?? context.GetEndpoint()?.Metadata.GetMetadata<PagePolicy>())?.Value
                ?? DefaultPolicy;
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
    public static readonly PagePolicy CitizenPages = new(
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
}

/// <summary>
/// The Content-Security-Policy of a page: a request feature when the gateway serves the page itself, endpoint metadata on a
/// proxied page route.
/// </summary>
public sealed record PagePolicy(string Value);
