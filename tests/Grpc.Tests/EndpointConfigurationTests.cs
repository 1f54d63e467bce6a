using System.Net;
using PublicSafety.Grpc.Tests.Infrastructure;
using PublicSafety.Testing;

namespace PublicSafety.Grpc.Tests;

/// <summary>The gRPC endpoint as the Helm chart configures it: Kestrel's named endpoints "http" and "grpc" from the environment.</summary>
public sealed class EndpointConfigurationTests
{
    [Fact]
    public async Task KestrelNamedEndpointsServeRestAndGrpcEachOnItsOwn()
    {
        await using var database = await TestDatabase.CreateAsync("cameras", postgis: true);
        var (restPort, grpcPort) = (FreePort.Next(), FreePort.Next());
        var environment = ServiceProcess.EnvironmentFor("Cameras", database.ConnectionString);
        environment["ASPNETCORE_URLS"] = null;
        environment["Kestrel__Endpoints__http__Url"] = $"http://127.0.0.1:{restPort}";
        environment["Kestrel__Endpoints__grpc__Url"] = $"http://127.0.0.1:{grpcPort}";
        environment["Kestrel__Endpoints__grpc__Protocols"] = "Http2";
        await using var service = ServiceProcess.Start("Cameras", environment, restPort);
        await service.WaitForHealthAsync("/health/ready", TimeSpan.FromSeconds(60));

        var health = (await Node.CallContractsAsync($"127.0.0.1:{grpcPort}", new NodeCall("grpc.health.v1.Health", "Check", new { }))).Single();
        using var grpcPortClient = RawGrpc.CreateClient(new Uri($"http://127.0.0.1:{grpcPort}"));
        using var restOnGrpcPort = await grpcPortClient.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/health/ready") { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact });

        Assert.Equal("SERVING", health.Messages.Single()!["status"]!.GetValue<string>());
        Assert.NotEqual(HttpStatusCode.OK, restOnGrpcPort.StatusCode);
    }
}
