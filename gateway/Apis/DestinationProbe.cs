using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Options;
using PublicSafety.Gateway.Extensions;
using PublicSafety.Gateway.Routing;
using PublicSafety.ServiceDefaults.Health;
using Yarp.ReverseProxy;

namespace PublicSafety.Gateway.Apis;

public static class DestinationStatus
{
    public const string Healthy = "Healthy";
    public const string Unhealthy = "Unhealthy";
    public const string Unreachable = "Unreachable";
    public const string NotConfigured = "NotConfigured";
}

public sealed record DestinationReport(string Service, string Endpoint, string? Address, string Status, int? HttpStatus, double? LatencyMs);

/// <summary>
/// Asks every destination's <c>/health/ready</c> at once, each bounded by a short timeout. The addresses are the ones the
/// proxy forwards to right now: the destinations service discovery resolved for each cluster.
/// </summary>
public sealed class DestinationProbe(
    IHttpClientFactory httpClientFactory, GatewayRouteTable table, IProxyStateLookup proxyState, IOptions<GatewayOptions> options)
{
    public const string ClientName = "destination-probe";

    public async Task<IReadOnlyList<DestinationReport>> ProbeAllAsync(CancellationToken cancellationToken)
    {
        var probes = new List<Task<DestinationReport>>();
        foreach (var (service, http, grpc) in table.Services)
        {
            probes.AddRange(http
                ? ProbeCluster(service.Name, "http", GatewayRouteTable.HttpCluster(service), HttpVersion.Version11, cancellationToken)
                : [Task.FromResult(NotConfigured(service.Name, "http"))]);
            if (grpc)
            {
                // The gRPC endpoint is HTTP/2-only (h2c), so it is asked in HTTP/2.
                probes.AddRange(ProbeCluster(service.Name, "grpc", GatewayRouteTable.GrpcCluster(service), HttpVersion.Version20, cancellationToken));
            }
        }

        return await Task.WhenAll(probes);
    }

    private IEnumerable<Task<DestinationReport>> ProbeCluster(string service, string endpoint, string clusterId, Version version, CancellationToken cancellationToken)
    {
        var addresses = proxyState.TryGetCluster(clusterId, out var cluster)
            ? cluster.Destinations.Values.Select(d => d.Model.Config.Address).ToArray()
            : [];
        return addresses.Length == 0
            ? [Task.FromResult(NotConfigured(service, endpoint))]
            : addresses.Select(a => ProbeAsync(service, endpoint, new Uri(a), version, cancellationToken));
    }

    private static DestinationReport NotConfigured(string service, string endpoint) =>
        new(service, endpoint, null, DestinationStatus.NotConfigured, null, null);

    private async Task<DestinationReport> ProbeAsync(string service, string endpoint, Uri address, Version version, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.ProbeTimeout);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(address, HealthEndpoints.ReadyPath))
            {
                Version = version,
                VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            };
            using var response = await httpClientFactory.CreateClient(ClientName).SendAsync(request, timeout.Token);
            var status = response.StatusCode == HttpStatusCode.OK ? DestinationStatus.Healthy : DestinationStatus.Unhealthy;
            return new(service, endpoint, address.ToString(), status, (int)response.StatusCode, Elapsed(started));
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new(service, endpoint, address.ToString(), DestinationStatus.Unreachable, null, Elapsed(started));
        }
    }

    private static double Elapsed(long started) => Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 1);
}

public static class DestinationProbeExtensions
{
    public static IServiceCollection AddDestinationProbe(this IServiceCollection services)
    {
        services.AddSingleton<DestinationProbe>();
        // A report says what it sees: the platform's resilience handler (retries, circuit breaker) would blur a failing
        // destination into a slow one, so this client goes without it; the probe's own timeout bounds each call.
        services.AddHttpClient(DestinationProbe.ClientName)
            .ConfigureAdditionalHttpMessageHandlers((handlers, _) => handlers.Clear())
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { UseProxy = false, ConnectTimeout = TimeSpan.FromSeconds(2) });
        return services;
    }
}
