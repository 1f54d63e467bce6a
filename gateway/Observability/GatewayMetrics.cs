using System.Diagnostics.Metrics;

namespace PublicSafety.Gateway.Observability;

public static class RejectionReasons
{
    public const string RateLimited = "rate_limited";
    public const string QuotaExceeded = "quota_exceeded";
    public const string Unauthenticated = "unauthenticated";
    public const string Forbidden = "forbidden";
    public const string TooLarge = "too_large";
}

/// <summary>The gateway's own meter, <c>PublicSafety.Gateway</c> (ServiceDefaults subscribes to <c>PublicSafety.*</c>).</summary>
public sealed class GatewayMetrics
{
    public const string MeterName = "PublicSafety.Gateway";

    private readonly Counter<long> _rejected;
    private readonly Counter<long> _proxyErrors;

    public GatewayMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _rejected = meter.CreateCounter<long>("publicsafety.gateway.rejected_requests", "{request}",
            "Requests the gateway answered itself instead of forwarding, by reason");
        _proxyErrors = meter.CreateCounter<long>("publicsafety.gateway.proxy_errors", "{request}",
            "Forwarded requests that failed between the gateway and a destination, by YARP error and route");
    }

    public void Rejected(string reason) => _rejected.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void ProxyError(string error, string? route) =>
        _proxyErrors.Add(1, new KeyValuePair<string, object?>("error", error), new KeyValuePair<string, object?>("route", route));
}
