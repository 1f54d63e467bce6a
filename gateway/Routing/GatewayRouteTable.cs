using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using PublicSafety.Gateway.Limits;

namespace PublicSafety.Gateway.Routing;

/// <summary>Which of a service's endpoints have a service-discovery entry, and so a cluster.</summary>
public sealed record ConfiguredService(GatewayService Service, bool Http, bool Grpc);

/// <summary>
/// The routes of the services that have a destination configured. A service without one is left out (with one warning),
/// so the gateway also runs in front of a subset of the platform. Only whether an entry exists is read here: the
/// addresses themselves are resolved by service discovery (see GatewayProxyConfigProvider).
/// </summary>
public sealed partial class GatewayRouteTable
{
    /// <summary>YARP's built-in policy name that lets a route through without a token.</summary>
    public const string Anonymous = "anonymous";

    public GatewayRouteTable(IConfiguration configuration, ILogger<GatewayRouteTable> logger)
    {
        var services = new List<ConfiguredService>();
        var routes = new List<GatewayRoute>();
        foreach (var service in GatewayServices.All)
        {
            var http = HasEndpoint(configuration, service, "https") || HasEndpoint(configuration, service, "http");
            var grpc = http && HasEndpoint(configuration, service, "grpc");
            services.Add(new(service, http, grpc));
            if (!http)
            {
                LogServiceLeftOut(logger, service.Name, $"services:{service.Name}:http:0");
                continue;
            }

            routes.Add(new($"{service.Name}-rest", RouteKinds.Rest, service.Name, $"{service.RoutePrefix}/{{**rest}}",
                HttpCluster(service), service.Policy, RateLimiting.PerClient));
            routes.Add(new($"{service.Name}-openapi", RouteKinds.OpenApi, service.Name, $"/openapi/{service.Name}/v1.json",
                HttpCluster(service), Anonymous, RateLimiting.Anonymous, Method: "GET", PathSet: "/openapi/v1.json"));
            if (service.PublicPrefix is { } publicPrefix)
            {
                routes.Add(new($"{service.Name}-public", RouteKinds.Public, service.Name, $"{publicPrefix}/{{**rest}}",
                    HttpCluster(service), Anonymous, RateLimiting.Anonymous));
            }

            if (service.PagesPrefix is { } pagesPrefix)
            {
                routes.Add(new($"{service.Name}-pages", RouteKinds.Page, service.Name, $"{pagesPrefix}/{{**rest}}",
                    HttpCluster(service), Anonymous, RateLimiting.Anonymous));
            }

            if (!grpc)
            {
                LogGrpcLeftOut(logger, service.Name, $"services:{service.Name}:grpc:0");
                continue;
            }

            // A complex segment: ASP.NET Core routing matches the literal package prefix and captures the service name.
            routes.Add(new($"{service.Name}-grpc", RouteKinds.Grpc, service.Name, $"/{service.GrpcPackage}.{{service}}/{{method}}",
                GrpcCluster(service), service.Policy, RateLimiting.PerClient, Method: "POST"));
        }

        Services = services;
        Routes = routes;
    }

    /// <summary>Every service of the route table, with the endpoints it has (none for a service left out).</summary>
    public IReadOnlyList<ConfiguredService> Services { get; }

    public IReadOnlyList<GatewayRoute> Routes { get; }

    public static string HttpCluster(GatewayService service) => service.Name + "-http";

    public static string GrpcCluster(GatewayService service) => service.Name + "-grpc";

    // Without an entry the service is left out rather than handed to a fallback resolver (a DNS guess at its name).
    private static bool HasEndpoint(IConfiguration configuration, GatewayService service, string endpoint)
    {
        var section = configuration.GetSection($"services:{service.Name}:{endpoint}");
        return !string.IsNullOrWhiteSpace(section.Value) || section.GetChildren().Any(c => !string.IsNullOrWhiteSpace(c.Value));
    }

    [LoggerMessage(LogLevel.Warning, "No destination for {Service}: {ConfigurationKey} is not set, so its routes are left out")]
    private static partial void LogServiceLeftOut(ILogger logger, string service, string configurationKey);

    [LoggerMessage(LogLevel.Warning, "No gRPC destination for {Service}: {ConfigurationKey} is not set, so its gRPC route is left out")]
    private static partial void LogGrpcLeftOut(ILogger logger, string service, string configurationKey);
}
