using Grpc.Health.V1;
using PublicSafety.ServiceDefaults.Grpc.Client;

namespace PublicSafety.ServiceDefaults.Grpc.Clients;

/// <summary>The client of the standard <c>grpc.health.v1.Health</c>.</summary>
public sealed class HealthClient(GrpcClient grpc)
{
    private static readonly GrpcMethod<HealthCheckRequest, HealthCheckResponse> Check =
        GrpcMethod.Create<HealthCheckRequest, HealthCheckResponse>(HealthReflection.Descriptor, "Health", "Check");

    public Task<HealthCheckResponse> CheckAsync(string service = "", GrpcCallOptions? options = null) =>
        grpc.UnaryAsync(Check, new HealthCheckRequest { Service = service }, options);
}
