using PublicSafety.Gateway.Limits;
using PublicSafety.Gateway.Observability;
using Yarp.ReverseProxy.Model;

namespace PublicSafety.Gateway.Proxy;

/// <summary>
/// When forwarding fails, YARP sets a bare status code; this counts the failure and, if nothing was sent yet, answers with a
/// problem document like every other error of the platform. Exception details stay in the logs.
/// </summary>
public static class ProxyErrors
{
    public static IReverseProxyApplicationBuilder UseProxyErrors(this IReverseProxyApplicationBuilder proxy)
    {
        var metrics = proxy.ApplicationServices.GetRequiredService<GatewayMetrics>();
        var limits = proxy.ApplicationServices.GetRequiredService<RequestSizeLimits>();
        proxy.Use(async (context, next) =>
        {
            await next();
            if (context.GetForwarderErrorFeature() is not { } error)
            {
                return;
            }

            metrics.ProxyError(error.Error.ToString(), context.GetReverseProxyFeature().Route.Config.RouteId);
            if (context.Response.HasStarted)
            {
                return;
            }

            if (error.Exception is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
            {
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                await RequestSizeLimit.TooLargeAsync(context, metrics, limits.For(context.Request.Path));
                return;
            }

            var title = context.Response.StatusCode switch
            {
                StatusCodes.Status502BadGateway => "The service did not answer",
                StatusCodes.Status503ServiceUnavailable => "The service is unavailable",
                StatusCodes.Status504GatewayTimeout => "The service did not answer in time",
                _ => null,
            };
            if (title is not null)
            {
                await GatewayProblems.WriteAsync(context, context.Response.StatusCode, title);
            }
        });
        return proxy;
    }
}
