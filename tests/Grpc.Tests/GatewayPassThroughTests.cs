using System.Text.Json;
using Grpc.Core;
using Grpc.Net.Client;
using PublicSafety.Contracts.Cameras.V1;
using PublicSafety.Grpc.Tests.Infrastructure;
using PublicSafety.ServiceDefaults.Auth;
using PublicSafety.Testing;

namespace PublicSafety.Grpc.Tests;

/// <summary>The same calls as <see cref="ReferenceClientCallsCamerasTests"/>, through the gateway's h2c endpoint.</summary>
public sealed class GatewayPassThroughTests(GatewayWithCameras stack) : IClassFixture<GatewayWithCameras>
{
    private const string Directory = "publicsafety.cameras.v1.CameraDirectory";

    private static NodeCall FindNear(object request, string? token = null) =>
        new NodeCall(Directory, "FindCamerasNear", request).WithToken(token ?? TestTokens.For("cameras.read"));

    [Fact]
    public async Task UnaryAndServerStreamingCallsPassThrough()
    {
        var results = await Node.CallContractsAsync(stack.GrpcAddress,
            FindNear(new { latitude = 43.2567, longitude = 76.9286, radius_meters = 2000 }),
            new NodeCall(Directory, "StreamCamerasInRegion", new { region = CamerasService.StreamRegion }).WithToken(TestTokens.For("cameras.read")));

        Assert.Equal([0, 0], results.Select(r => r.Code));
        Assert.Equal(3, results[0].Messages.Single()!["cameras"]!.AsArray().Count);
        Assert.Equal(CamerasService.StreamRegionCameras, results[1].Messages.Count);
    }

    [Fact]
    public async Task StatusesAndMessagesOfTheServiceReachTheClient()
    {
        var results = await Node.CallContractsAsync(stack.GrpcAddress,
            FindNear(new { latitude = 91.0, longitude = 76.9, radius_meters = 100 }),
            new NodeCall(Directory, "StreamCamerasInRegion", new { region = "KZ-75" }).WithToken(
                TestTokens.Create(new DevToken.TokenRequest { Roles = ["cameras.read"], Region = "KZ-71" })));

        Assert.Equal((3, "latitude must be between -90 and 90."), (results[0].Code, results[0].Details));
        Assert.Equal(7, results[1].Code);
    }

    [Fact]
    public async Task AnExpiredDeadlineIsDeadlineExceeded()
    {
        var result = (await Node.CallContractsAsync(stack.GrpcAddress,
            FindNear(new { latitude = 43.2567, longitude = 76.9286, radius_meters = 100_000 }) with { DeadlineMs = 1 })).Single();

        Assert.Equal(4, result.Code);
    }

    [Fact]
    public async Task TheGatewayRefusesMissingTokensAndForeignRoles()
    {
        var results = await Node.CallContractsAsync(stack.GrpcAddress,
            new NodeCall(Directory, "FindCamerasNear", new { latitude = 43.0, longitude = 76.9, radius_meters = 100 }),
            FindNear(new { latitude = 43.0, longitude = 76.9, radius_meters = 100 }, TestTokens.For("probation.officer")));

        Assert.Equal([16, 7], results.Select(r => r.Code));
    }

    [Fact]
    public async Task AnOversizedMessageIsResourceExhausted()
    {
        var result = (await Node.CallContractsAsync(stack.GrpcAddress,
            FindNear(new { latitude = 43.0, longitude = 76.9, radius_meters = 100, region = new Dictionary<string, int> { ["$string"] = 5 * 1024 * 1024 } }))).Single();

        Assert.Equal(8, result.Code);
    }

    [Fact]
    public async Task OurClientCallsThroughTheGateway()
    {
        using var channel = GrpcChannel.ForAddress(stack.GrpcUri);
        var client = new CameraDirectory.CameraDirectoryClient(channel);
        var auth = new Metadata { { "authorization", $"Bearer {TestTokens.For("cameras.read")}" } };

        var response = await client.FindCamerasNearAsync(new FindCamerasNearRequest { Latitude = 43.2567, Longitude = 76.9286, RadiusMeters = 50 }, auth);
        var invalid = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.FindCamerasNearAsync(new FindCamerasNearRequest { Latitude = 43.2567, Longitude = 76.9286 }, auth));

        Assert.Equal(CamerasService.AbayAve.ToString(), response.Cameras.Single().Camera.Id);
        Assert.Equal((StatusCode.InvalidArgument, "radius_meters must be greater than 0 and at most 100000."), (invalid.StatusCode, invalid.Status.Detail));
    }

    [Fact]
    public async Task TheDestinationsReportAsksTheRealServicesGrpcEndpointByGrpcHealth()
    {
        using var operatorClient = stack.Gateway.CreateClient(TestTokens.For(Roles.PlatformOperator));

        using var report = JsonDocument.Parse(await operatorClient.GetStringAsync("/gateway/destinations"));

        // The gRPC endpoint serves gRPC methods only: /health/ready there is refused (401), grpc.health.v1 answers SERVING.
        var grpc = report.RootElement.GetProperty("destinations").EnumerateArray()
            .Single(d => d.GetProperty("service").GetString() == "cameras" && d.GetProperty("endpoint").GetString() == "grpc");
        Assert.Equal("Healthy", grpc.GetProperty("status").GetString());
        Assert.Equal(stack.Cameras.GrpcUri, new Uri(grpc.GetProperty("address").GetString()!));
    }
}
