using Grpc.Health.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using PublicSafety.ServiceDefaults.Health;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace PublicSafety.ServiceDefaults.Grpc.Server;

/// <summary>
/// <c>grpc.health.v1.Health</c>, answering the service's readiness (the ASP.NET health checks tagged "ready", as
/// <c>/health/ready</c>): for "" and for every gRPC service this process maps. Anonymous like the HTTP probes, and like them
/// it reveals only the overall status. Results are shared for a second so that watchers and probes can't load the database.
/// </summary>
internal sealed class GrpcHealthService(HealthCheckService healthChecks, GrpcServiceRegistry registry)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan WatchInterval = TimeSpan.FromSeconds(2);
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private (DateTimeOffset At, ServingStatus Status)? _last;

    public static Task<HealthCheckResponse> CheckAsync(HealthCheckRequest request, GrpcCallContext context) =>
        context.Services.GetRequiredService<GrpcHealthService>().CheckCoreAsync(request, context);

    public static Task WatchAsync(HealthCheckRequest request, IGrpcStreamWriter<HealthCheckResponse> stream, GrpcCallContext context) =>
        context.Services.GetRequiredService<GrpcHealthService>().WatchCoreAsync(request, stream, context);

    private async Task<HealthCheckResponse> CheckCoreAsync(HealthCheckRequest request, GrpcCallContext context) =>
        await StatusAsync(request.Service, context.CancellationToken) is { } status
            ? new HealthCheckResponse { Status = status }
            : throw new GrpcCallException(GrpcStatusCode.NotFound, "Service not found.");

    private async Task WatchCoreAsync(HealthCheckRequest request, IGrpcStreamWriter<HealthCheckResponse> stream, GrpcCallContext context)
    {
        ServingStatus? sent = null;
        while (!context.CancellationToken.IsCancellationRequested)
        {
            var status = await StatusAsync(request.Service, context.CancellationToken) ?? ServingStatus.ServiceUnknown;
            if (status != sent)
            {
                await stream.WriteAsync(new HealthCheckResponse { Status = status });
                sent = status;
            }

            await Task.Delay(WatchInterval, context.CancellationToken);
        }
    }

    private async Task<ServingStatus?> StatusAsync(string service, CancellationToken cancellationToken)
    {
        if (service.Length > 0 && !registry.Contains(service))
        {
            return null;
        }

        await _refresh.WaitAsync(cancellationToken);
        try
        {
            if (_last is not { } last || DateTimeOffset.UtcNow - last.At > CacheFor)
            {
                var report = await healthChecks.CheckHealthAsync(r => r.Tags.Contains(HealthTags.Ready), cancellationToken);
                last = (DateTimeOffset.UtcNow, report.Status == HealthStatus.Healthy ? ServingStatus.Serving : ServingStatus.NotServing);
                _last = last;
            }

            return last.Status;
        }
        finally
        {
            _refresh.Release();
        }
    }
}

public static class GrpcHealthEndpoints
{
    /// <summary>Maps <c>grpc.health.v1.Health/Check</c> and <c>/Watch</c> on the grpc endpoint.</summary>
    public static GrpcServiceEndpoints MapGrpcHealthService(this IEndpointRouteBuilder endpoints)
    {
        var health = endpoints.MapGrpcService(HealthReflection.Descriptor, "Health");
        health.MapUnary<HealthCheckRequest, HealthCheckResponse>("Check", GrpcHealthService.CheckAsync).AllowAnonymous();
        health.MapServerStreaming<HealthCheckRequest, HealthCheckResponse>("Watch", GrpcHealthService.WatchAsync).AllowAnonymous();
        return health;
    }
}
