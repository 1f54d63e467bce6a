using Microsoft.Extensions.Options;
using PublicSafety.Gateway.Extensions;
using PublicSafety.Gateway.Observability;

namespace PublicSafety.Gateway.Limits;

/// <summary>
/// Kestrel enforces <see cref="GatewayOptions.MaxRequestBodyBytes"/> on every body; a request that declares a larger
/// Content-Length is refused here before anything else is done with it, with a problem document rather than a bare 413.
/// A chunked body that grows past the limit is caught while forwarding (see ProxyErrors).
/// </summary>
public static class RequestSizeLimit
{
    public static IApplicationBuilder UseRequestSizeLimit(this IApplicationBuilder app)
    {
        var limit = app.ApplicationServices.GetRequiredService<IOptions<GatewayOptions>>().Value.MaxRequestBodyBytes;
        var metrics = app.ApplicationServices.GetRequiredService<GatewayMetrics>();
        return app.Use((context, next) =>
        {
            if (context.Request.ContentLength > limit)
            {
                return TooLargeAsync(context, metrics, limit);
            }

            return next(context);
        });
    }

    public static Task TooLargeAsync(HttpContext context, GatewayMetrics metrics, long limit)
    {
        metrics.Rejected(RejectionReasons.TooLarge);
        // HTTP/1.1 would otherwise have to drain the unread body; HTTP/2 resets just the stream.
        if (HttpProtocol.IsHttp11(context.Request.Protocol) || HttpProtocol.IsHttp10(context.Request.Protocol))
        {
            context.Response.Headers.Connection = "close";
        }

        return GatewayProblems.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "Request body too large",
            $"The gateway accepts request bodies up to {limit} bytes.");
    }
}
