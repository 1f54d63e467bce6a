using System.Net;
using Microsoft.Extensions.Primitives;
using PublicSafety.Gateway.Routing;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace PublicSafety.Gateway.Proxy;

/// <summary>YARP's routes and clusters, built once from the route table; configuration changes need a restart, as a pod gets.</summary>
public sealed class GatewayProxyConfigProvider(GatewayRouteTable table) : IProxyConfigProvider
{
    private readonly Lazy<IProxyConfig> _config = new(() => Build(table));

    public IProxyConfig GetConfig() => _config.Value;

    private static IProxyConfig Build(GatewayRouteTable table)
    {
        var routes = table.Routes.Select(ToRouteConfig).ToArray();
        var clusters = new List<ClusterConfig>();
        foreach (var destination in table.Destinations)
        {
            if (destination.Http is { } http)
            {
                clusters.Add(Cluster(GatewayRouteTable.HttpCluster(destination.Service), destination.Service.Name, http, grpc: false));
            }

            if (destination.Http is not null && destination.Grpc is { } grpc)
            {
                clusters.Add(Cluster(GatewayRouteTable.GrpcCluster(destination.Service), destination.Service.Name, grpc, grpc: true));
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
        Metadata = new Dictionary<string, string> { ["Kind"] = route.Kind },
    };

    private static ClusterConfig Cluster(string id, string destinationName, Uri address, bool grpc) => new()
    {
        ClusterId = id,
        Destinations = new Dictionary<string, DestinationConfig> { [destinationName] = new() { Address = address.ToString() } },
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

        // The configuration never changes while the process runs.
        public IChangeToken ChangeToken { get; } = new CancellationChangeToken(CancellationToken.None);
    }
}
