namespace PublicSafety.Gateway.Extensions;

/// <summary>Configuration section <c>Gateway</c>; every value has a production-sensible default.</summary>
public sealed class GatewayOptions
{
    public const string Section = "Gateway";

    /// <summary>An extra HTTP/2-only (h2c) endpoint for gRPC clients, e.g. <c>http://0.0.0.0:8081</c>; none when empty.</summary>
    public string? GrpcUrl { get; set; }

    /// <summary>Largest request body accepted, in bytes, where <see cref="BodyLimits"/> says nothing else; larger requests get 413.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// Larger (or smaller) limits for named bulk endpoints, such as file imports and device batches, keyed by a name that
    /// operators can override one at a time (<c>Gateway__BodyLimits__cameras-import__MaxBytes</c>).
    /// </summary>
    public Dictionary<string, BodyLimit> BodyLimits { get; set; } = [];

    public int MaxRequestHeaderCount { get; set; } = 64;

    /// <summary>
    /// Addresses or CIDR networks of the proxies in front of the gateway (the ingress controller's pods) whose
    /// X-Forwarded-For names the client; none by default, so no client can claim an address.
    /// </summary>
    public string[] TrustedProxies { get; set; } = [];

    public int MaxRequestHeadersTotalBytes { get; set; } = 32 * 1024;

    /// <summary>How long the operator report waits for one destination's <c>/health/ready</c>.</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(2.5);

    public RateLimitsOptions RateLimits { get; set; } = new();
}

public sealed class RateLimitsOptions
{
    /// <summary>Per calling client (the token's <c>azp</c>) on authenticated routes.</summary>
    public TokenBucket PerClient { get; set; } = new() { PermitsPerWindow = 100, Burst = 200 };

    /// <summary>Per caller network (an IPv4 address, an IPv6 /64) on anonymous routes; deliberately much stricter.</summary>
    public TokenBucket Anonymous { get; set; } = new() { PermitsPerWindow = 10, Burst = 20 };

    /// <summary>Anonymous writes per day, per route and caller network, on top of <see cref="Anonymous"/>.</summary>
    public DailyQuota AnonymousWriteQuota { get; set; } = new();
}

/// <summary>
/// At most <see cref="PerDay"/> anonymous writes (any method but GET, HEAD, OPTIONS) per route and caller network,
/// refilled evenly over the day. Behind carrier-grade NAT many citizens share an IPv4 address: keep it generous.
/// </summary>
public sealed class DailyQuota
{
    public int PerDay { get; set; } = 100;

    /// <summary>Another quota for one route, by route id (<c>feedback-public</c>): <c>Gateway__RateLimits__AnonymousWriteQuota__Routes__feedback-public</c>.</summary>
    public Dictionary<string, int> Routes { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public int For(string route) => Math.Max(1, Routes.TryGetValue(route, out var perDay) ? perDay : PerDay);
}

/// <summary>The body limit of the requests to one path (exact, case-insensitive, any method).</summary>
public sealed class BodyLimit
{
    public string Path { get; set; } = "";

    public long MaxBytes { get; set; }
}

/// <summary>A token bucket: <see cref="Burst"/> requests at once, refilled by <see cref="PermitsPerWindow"/> every <see cref="Window"/>.</summary>
public sealed class TokenBucket
{
    public int PermitsPerWindow { get; set; }

    public int Burst { get; set; }

    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(1);

    public override string ToString() => $"{PermitsPerWindow} per {Window.TotalSeconds:0.###} s, burst {Burst}";
}
