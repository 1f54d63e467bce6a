using System.Diagnostics;
using System.Net;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
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
/// Asks every destination for its readiness at once (a REST endpoint's <c>/health/ready</c>, a gRPC endpoint's
/// <c>grpc.health.v1</c>), each bounded by a short timeout. The addresses are the ones the
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
                ? ProbeCluster(service.Name, "http", GatewayRouteTable.HttpCluster(service), ProbeHttpAsync, cancellationToken)
                : [Task.FromResult(NotConfigured(service.Name, "http"))]);
            if (grpc)
            {
                probes.AddRange(ProbeCluster(service.Name, "grpc", GatewayRouteTable.GrpcCluster(service), ProbeGrpcAsync, cancellationToken));
            }
        }

        return await Task.WhenAll(probes);
    }

    private IEnumerable<Task<DestinationReport>> ProbeCluster(string service, string endpoint, string clusterId,
        Func<string, Uri, CancellationToken, Task<DestinationReport>> probe, CancellationToken cancellationToken)
    {
        var addresses = proxyState.TryGetCluster(clusterId, out var cluster)
            ? cluster.Destinations.Values.Select(d => d.Model.Config.Address).ToArray()
            : [];
        return addresses.Length == 0
            ? [Task.FromResult(NotConfigured(service, endpoint))]
            : addresses.Select(a => probe(service, new Uri(a), cancellationToken));
    }

    private static DestinationReport NotConfigured(string service, string endpoint) =>
        new(service, endpoint, null, DestinationStatus.NotConfigured, null, null);

    /// <summary>The REST endpoint's <c>/health/ready</c>.</summary>
    private async Task<DestinationReport> ProbeHttpAsync(string service, Uri address, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.ProbeTimeout);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(address, HealthEndpoints.ReadyPath));
            using var response = await httpClientFactory.CreateClient(ClientName).SendAsync(request, timeout.Token);
            var status = response.StatusCode == HttpStatusCode.OK ? DestinationStatus.Healthy : DestinationStatus.Unhealthy;
            return new(service, "http", address.ToString(), status, (int)response.StatusCode, Elapsed(started));
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new(service, "http", address.ToString(), DestinationStatus.Unreachable, null, Elapsed(started));
        }
    }

    /// <summary>
    /// The gRPC endpoint's <c>grpc.health.v1.Health/Check</c> for the whole server (service ""), as the chart's startup probe
    /// asks it: that endpoint serves gRPC methods only, so <c>/health/ready</c> there is refused. SERVING is healthy; the
    /// HTTP status of an answer is 200 (gRPC's own status travels in trailers), and none is reported for a failed call.
    /// </summary>
    private async Task<DestinationReport> ProbeGrpcAsync(string service, Uri address, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpClient = httpClientFactory.CreateClient(ClientName), DisposeHttpClient = true });
        try
        {
            var answer = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest(),
                deadline: DateTime.UtcNow + options.Value.ProbeTimeout, cancellationToken: cancellationToken);
            var status = answer.Status == HealthCheckResponse.Types.ServingStatus.Serving ? DestinationStatus.Healthy : DestinationStatus.Unhealthy;
            return new(service, "grpc", address.ToString(), status, (int)HttpStatusCode.OK, Elapsed(started));
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Cancelled
                                      && !cancellationToken.IsCancellationRequested)
        {
            return new(service, "grpc", address.ToString(), DestinationStatus.Unreachable, null, Elapsed(started));
        }
        catch (RpcException) when (!cancellationToken.IsCancellationRequested)
        {
            return new(service, "grpc", address.ToString(), DestinationStatus.Unhealthy, null, Elapsed(started));
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
