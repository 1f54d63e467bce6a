using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PublicSafety.Contracts.Cameras.V1;
using PublicSafety.DevToken;
using PublicSafety.Grpc.Tests.Interop;
using PublicSafety.ServiceDefaults;
using PublicSafety.ServiceDefaults.Grpc.Client;
using PublicSafety.Testing;

namespace PublicSafety.Grpc.Tests.Infrastructure;

/// <summary>
/// A calling service wired as production code wires one (AddServiceDefaults + AddGrpcServiceClient), with the gRPC clients
/// of CameraDirectory ("cameras") and InteropTest ("interop"); addresses come from <c>services:&lt;name&gt;:grpc:0</c>.
/// Its own Keycloak client is "probation" with cameras.read.
/// </summary>
public static class CallingService
{
    public static WebApplication Build(string environment, Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Keycloak:Authority"] = DevTokens.DefaultIssuer,
            ["Keycloak:RequireHttpsMetadata"] = "false",
            ["Keycloak:DevelopmentSigningKeyFile"] = TestTokens.KeyFile,
            ["Keycloak:ClientId"] = "probation",
            ["Keycloak:ServiceAccountRoles:0"] = "cameras.read",
            // Short backoff: the retry tests wait for it.
            ["Grpc:Client:RetryBaseDelay"] = "00:00:00.020",
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddServiceDefaults();
        builder.AddGrpcServiceClient<CameraDirectory.CameraDirectoryClient>("cameras", CameraDirectory.Descriptor);
        builder.AddGrpcServiceClient<InteropTest.InteropTestClient>("interop", InteropTest.Descriptor);
        return builder.Build();
    }
}
