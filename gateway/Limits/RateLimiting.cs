using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using PublicSafety.Gateway.Extensions;
using PublicSafety.Gateway.Observability;
using PublicSafety.ServiceDefaults.Auth;

namespace PublicSafety.Gateway.Limits;

/// <summary>
/// Two token-bucket policies, attached per route: <see cref="PerClient"/> partitions by the validated token's <c>azp</c>
/// (one agency system cannot starve another), <see cref="Anonymous"/> by remote IP for citizen-facing routes.
/// It runs after authentication, so the client is known; a rejected request gets 429 with Retry-After.
/// </summary>
public static class RateLimiting
{
    public const string PerClient = "per-client";
    public const string Anonymous = "anonymous";

    public static IServiceCollection AddGatewayRateLimiting(this IServiceCollection services, RateLimitsOptions limits)
    {
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = OnRejectedAsync;
            options.AddPolicy(PerClient, context => RateLimitPartition.GetTokenBucketLimiter(
                context.User.ClientId() ?? "ip:" + RemoteIp(context), _ => Bucket(limits.PerClient)));
            options.AddPolicy(Anonymous, context => RateLimitPartition.GetTokenBucketLimiter(
                RemoteIp(context), _ => Bucket(limits.Anonymous)));
        });
        return services;
    }

    public static string Describe(string policy, RateLimitsOptions limits) => policy switch
    {
        PerClient => $"per client (azp): {limits.PerClient}",
        Anonymous => $"per IP address: {limits.Anonymous}",
        _ => policy,
    };

    private static string RemoteIp(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static TokenBucketRateLimiterOptions Bucket(TokenBucket bucket) => new()
    {
        TokenLimit = Math.Max(1, bucket.Burst),
        TokensPerPeriod = Math.Max(1, bucket.PermitsPerWindow),
        ReplenishmentPeriod = bucket.Window,
        // No queueing: a client over its limit is told at once when to come back.
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    private static async ValueTask OnRejectedAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        context.RequestServices.GetRequiredService<GatewayMetrics>().Rejected(RejectionReasons.RateLimited);
        var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
            : 1;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await GatewayProblems.WriteAsync(context, StatusCodes.Status429TooManyRequests, "Too many requests",
            $"The rate limit of this client was exceeded; retry after {seconds} s.");
    }
}
