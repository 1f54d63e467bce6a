using Grpc.Health.V1;

namespace PublicSafety.Security.Tests;

/// <summary>gRPC methods every service serves; the services' own methods are with their REST cases.</summary>
public static class GrpcCases
{
    private const string Health = "the process's serving status (anonymous, like /health/ready): no regional data";
    private const string Reflection = "the service's .proto contracts (anonymous, like /openapi/v1.json): no data";

    public static CaseTable Table => new()
    {
        { "gRPC grpc.health.v1.Health/Check", CaseTable.Exempt(Health, _ => new GrpcCall("/grpc.health.v1.Health/Check", new HealthCheckRequest(), HealthCheckResponse.Descriptor)) },
        {
            "gRPC grpc.health.v1.Health/Watch", CaseTable.Exempt(Health, _ =>
                new GrpcCall("/grpc.health.v1.Health/Watch", new HealthCheckRequest(), HealthCheckResponse.Descriptor, Streaming: true) { Timeout = "500m" })
        },
        {
            "gRPC grpc.reflection.v1.ServerReflection/ServerReflectionInfo", CaseTable.Exempt(Reflection, _ => new GrpcCall(
                "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo", new Grpc.Reflection.V1.ServerReflectionRequest { ListServices = "" },
                Grpc.Reflection.V1.ServerReflectionResponse.Descriptor, Streaming: true))
        },
        {
            "gRPC grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", CaseTable.Exempt(Reflection, _ => new GrpcCall(
                "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", new Grpc.Reflection.V1Alpha.ServerReflectionRequest { ListServices = "" },
                Grpc.Reflection.V1Alpha.ServerReflectionResponse.Descriptor, Streaming: true))
        },
    };
}
