using Microsoft.Extensions.Diagnostics.HealthChecks;
using Yarp.ReverseProxy;

namespace PublicSafety.Gateway.Routing;

/// <summary>
/// The gateway's readiness (<c>/health/ready</c> and <c>grpc.health.v1</c>): the proxy holds a resolved address for every
/// cluster of the route table, so a request has somewhere to go. Whether those destinations are healthy is deliberately
/// not asked: a gateway that went unready with one service would take the other four down with it.
/// </summary>
public sealed class ProxyDestinationsHealthCheck(GatewayRouteTable table, IProxyStateLookup proxy) : IHealthCheck
{
    public const string Name = "proxy-destinations";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var unresolved = table.Routes.Select(r => r.ClusterId).Distinct()
            .Where(id => !proxy.TryGetCluster(id, out var cluster) || cluster.Destinations.Count == 0)
            .ToArray();
        return Task.FromResult(unresolved.Length == 0
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy($"No destination resolved for {string.Join(", ", unresolved)}"));
    }
}
