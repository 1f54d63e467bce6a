using Grpc.Health.V1;

namespace PublicSafety.Security.Tests;

/// <summary>gRPC methods every service serves; the services' own methods are with their REST cases.</summary>
public static class GrpcCases
{
    private const string Health = "the process's serving status (anonymous, like /health/ready): no regional data";

    public static CaseTable Table => new()
    {
        { "gRPC grpc.health.v1.Health/Check", CaseTable.Exempt(Health, _ => new GrpcCall("/grpc.health.v1.Health/Check", new HealthCheckRequest(), HealthCheckResponse.Descriptor)) },
        {
            "gRPC grpc.health.v1.Health/Watch", CaseTable.Exempt(Health, _ =>
                new GrpcCall("/grpc.health.v1.Health/Watch", new HealthCheckRequest(), HealthCheckResponse.Descriptor, Streaming: true) { Timeout = "500m" })
        },
    };
}
