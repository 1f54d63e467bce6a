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
            // Only a page of the gateway's own sets another policy (see ApiReferencePolicy); a destination cannot.
            headers.ContentSecurityPolicy = context.Features.Get<PagePolicy>()?.Value ?? DefaultPolicy;
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
}

/// <summary>The Content-Security-Policy of a page the gateway serves itself.</summary>
public sealed record PagePolicy(string Value);
