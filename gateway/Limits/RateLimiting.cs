using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using PublicSafety.Gateway.Extensions;
using PublicSafety.Gateway.Observability;
using PublicSafety.ServiceDefaults.Auth;

namespace PublicSafety.Gateway.Limits;

/// <summary>
/// Two token-bucket policies, attached per route: <see cref="PerClient"/> partitions by the validated token's <c>azp</c>
/// (one agency system cannot starve another), <see cref="Anonymous"/> by the caller's network (<see cref="ClientNetwork"/>)
/// for citizen-facing routes. It runs after authentication, so the client is known; a rejected request gets 429 with
/// Retry-After. Anonymous writes also count against a daily quota (<see cref="AnonymousWriteQuota"/>).
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
            options.OnRejected = (rejected, _) => new ValueTask(RejectAsync(rejected.HttpContext, rejected.Lease,
                RejectionReasons.RateLimited, "The rate limit of this client was exceeded"));
            options.AddPolicy(PerClient, context => RateLimitPartition.Get(
                context.User.ClientId() ?? "ip:" + ClientNetwork.Of(context.Connection.RemoteIpAddress), _ => Bucket(limits.PerClient)));
            options.AddPolicy(Anonymous, context => RateLimitPartition.Get(
                ClientNetwork.Of(context.Connection.RemoteIpAddress), _ => Bucket(limits.Anonymous)));
        });
        services.AddSingleton<AnonymousWriteQuota>();
        return services;
    }

    public static string Describe(string policy, RateLimitsOptions limits) => policy switch
    {
        PerClient => $"per client (azp): {limits.PerClient}",
        Anonymous => $"per IPv4 address or IPv6 /64: {limits.Anonymous}; writes {limits.AnonymousWriteQuota.PerDay} per day per route",
        _ => policy,
    };

    /// <summary>429 problem with Retry-After (whole seconds, at least 1) from the refusing lease.</summary>
    public static Task RejectAsync(HttpContext context, RateLimitLease lease, string reason, string what)
    {
        context.RequestServices.GetRequiredService<GatewayMetrics>().Rejected(reason);
        var seconds = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds))
            : 1;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return GatewayProblems.WriteAsync(context, StatusCodes.Status429TooManyRequests, "Too many requests",
            $"{what}; retry after {seconds} s.");
    }

    private static SteadyTokenBucket Bucket(TokenBucket bucket) => new(
        Math.Max(1, bucket.Burst), Math.Max(1, bucket.PermitsPerWindow) / bucket.Window.TotalSeconds, TimeProvider.System);
}
