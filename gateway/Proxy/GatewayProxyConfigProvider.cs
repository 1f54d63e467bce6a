using System.Net;
using Microsoft.Extensions.Primitives;
using PublicSafety.Gateway.Routing;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace PublicSafety.Gateway.Proxy;

/// <summary>
/// YARP's routes and clusters, built once from the route table. Each cluster names its service by its service-discovery
/// name (<c>https+http://feedback</c>, <c>http://_grpc.feedback</c>); Microsoft.Extensions.ServiceDiscovery.Yarp resolves
/// them into addresses from the <c>services:&lt;name&gt;:&lt;endpoint&gt;</c> settings that Aspire and the chart give.
/// </summary>
public sealed class GatewayProxyConfigProvider(GatewayRouteTable table) : IProxyConfigProvider
{
    /// <summary>The route metadata that holds its <see cref="RouteKinds"/> value.</summary>
    public const string KindKey = "Kind";

    private readonly Lazy<IProxyConfig> _config = new(() => Build(table));

    public IProxyConfig GetConfig() => _config.Value;

    private static IProxyConfig Build(GatewayRouteTable table)
    {
        var routes = table.Routes.Select(ToRouteConfig).ToArray();
        var clusters = new List<ClusterConfig>();
        foreach (var (service, http, grpc) in table.Services)
        {
            if (http)
            {
                clusters.Add(Cluster(GatewayRouteTable.HttpCluster(service), service.Name, service.HttpAddress, grpc: false));
            }

            if (grpc)
            {
                clusters.Add(Cluster(GatewayRouteTable.GrpcCluster(service), service.Name, service.GrpcAddress, grpc: true));
            }
        }

        return new StaticConfig(routes, clusters);
    }

    private static RouteConfig ToRouteConfig(GatewayRoute route) => new()
    {
        RouteId = route.Id,
        ClusterId = route.ClusterId,
        AuthorizationPolicy = route.AuthorizationPolicy,
        RateLimiterPolicy = route.RateLimiterPolicy,
        Match = new RouteMatch { Path = route.Path, Methods = route.Method is null ? null : [route.Method] },
        Transforms = route.PathSet is null ? null : [new Dictionary<string, string> { ["PathSet"] = route.PathSet }],
        Metadata = new Dictionary<string, string> { [KindKey] = route.Kind },
    };

    private static ClusterConfig Cluster(string id, string destinationName, string address, bool grpc) => new()
    {
        ClusterId = id,
        Destinations = new Dictionary<string, DestinationConfig> { [destinationName] = new() { Address = address } },
        // gRPC needs HTTP/2 end to end; "exact" makes the client speak h2c (prior knowledge) to a cleartext destination.
        HttpRequest = grpc
            ? new ForwarderRequestConfig { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact }
            : null,
        HttpClient = new HttpClientConfig { EnableMultipleHttp2Connections = true },
    };

    private sealed class StaticConfig(IReadOnlyList<RouteConfig> routes, IReadOnlyList<ClusterConfig> clusters) : IProxyConfig
    {
        public IReadOnlyList<RouteConfig> Routes { get; } = routes;

        public IReadOnlyList<ClusterConfig> Clusters { get; } = clusters;

        // The routes never change while the process runs; the destinations follow service discovery's own change tokens.
        public IChangeToken ChangeToken { get; } = new CancellationChangeToken(CancellationToken.None);
    }
}
