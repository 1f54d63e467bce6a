using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Options;
using PublicSafety.Gateway.Extensions;
using PublicSafety.Gateway.Routing;
using PublicSafety.ServiceDefaults.Health;

namespace PublicSafety.Gateway.Apis;

public static class DestinationStatus
{
    public const string Healthy = "Healthy";
    public const string Unhealthy = "Unhealthy";
    public const string Unreachable = "Unreachable";
    public const string NotConfigured = "NotConfigured";
}

public sealed record DestinationReport(string Service, string Endpoint, string? Address, string Status, int? HttpStatus, double? LatencyMs);

/// <summary>Asks every configured destination's <c>/health/ready</c> at once, each bounded by a short timeout.</summary>
public sealed class DestinationProbe(IHttpClientFactory httpClientFactory, GatewayRouteTable table, IOptions<GatewayOptions> options)
{
    public const string ClientName = "destination-probe";

    public async Task<IReadOnlyList<DestinationReport>> ProbeAllAsync(CancellationToken cancellationToken)
    {
        var probes = new List<Task<DestinationReport>>();
        foreach (var destination in table.Destinations)
        {
            var name = destination.Service.Name;
            probes.Add(destination.Http is { } http
                ? ProbeAsync(name, "http", http, HttpVersion.Version11, cancellationToken)
                : Task.FromResult(new DestinationReport(name, "http", null, DestinationStatus.NotConfigured, null, null)));
            if (destination.Http is not null && destination.Grpc is { } grpc)
            {
                // The gRPC endpoint is HTTP/2-only (h2c), so it is asked in HTTP/2.
                probes.Add(ProbeAsync(name, "grpc", grpc, HttpVersion.Version20, cancellationToken));
            }
        }

        return await Task.WhenAll(probes);
    }

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
