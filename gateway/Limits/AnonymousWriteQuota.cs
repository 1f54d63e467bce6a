using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using PublicSafety.Gateway.Extensions;
using PublicSafety.Gateway.Observability;
using Yarp.ReverseProxy.Model;

namespace PublicSafety.Gateway.Limits;

/// <summary>
/// A daily quota of anonymous writes (complaints, survey answers, unsolicited feedback: any method but GET, HEAD and
/// OPTIONS on an anonymous route) per route and caller network (<see cref="ClientNetwork"/>). The per-second limit stops
/// floods; this stops a patient script from filing thousands of complaints a day from one network. It is a bucket of
/// <c>PerDay</c> refilled evenly over 24 hours, so a refused caller is told when the next write is possible, not "tomorrow".
/// It is checked in the proxy pipeline, after the per-second limit, so only writes that would reach the service count.
/// </summary>
public sealed class AnonymousWriteQuota : IDisposable
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    private readonly PartitionedRateLimiter<(string Route, string Network)> _limiter;

    public AnonymousWriteQuota(IOptions<GatewayOptions> options)
    {
        var quota = options.Value.RateLimits.AnonymousWriteQuota;
        _limiter = PartitionedRateLimiter.Create<(string Route, string Network), (string Route, string Network)>(key =>
            RateLimitPartition.Get(key, k =>
            {
                var perDay = quota.For(k.Route);
                return new SteadyTokenBucket(perDay, perDay / Day.TotalSeconds, TimeProvider.System);
            }));
    }

    public RateLimitLease Acquire(string route, HttpContext context) =>
        _limiter.AttemptAcquire((route, ClientNetwork.Of(context.Connection.RemoteIpAddress)));

    public void Dispose() => _limiter.Dispose();

    public static bool IsWrite(string method) => !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method));
}

public static class AnonymousWriteQuotaExtensions
{
    public static IReverseProxyApplicationBuilder UseAnonymousWriteQuota(this IReverseProxyApplicationBuilder proxy)
    {
        var quota = proxy.ApplicationServices.GetRequiredService<AnonymousWriteQuota>();
        proxy.Use(async (context, next) =>
        {
            var route = context.GetReverseProxyFeature().Route.Config;
            if (route.RateLimiterPolicy == RateLimiting.Anonymous && AnonymousWriteQuota.IsWrite(context.Request.Method))
            {
                using var lease = quota.Acquire(route.RouteId, context);
                if (!lease.IsAcquired)
                {
                    await RateLimiting.RejectAsync(context, lease, RejectionReasons.QuotaExceeded,
                        "The daily limit of anonymous submissions from this network was reached");
                    return;
                }
            }

            await next();
        });
        return proxy;
    }
}
