using PublicSafety.DevToken;
using PublicSafety.Grpc.Tests.Infrastructure;
using PublicSafety.Testing;

namespace PublicSafety.Grpc.Tests;

/// <summary>grpc-js calls the real Cameras service (a child process on its own database) through the .proto in contracts/.</summary>
public sealed class ReferenceClientCallsCamerasTests(CamerasService cameras) : IClassFixture<CamerasService>
{
    private const string Directory = "publicsafety.cameras.v1.CameraDirectory";

    private static NodeCall FindNear(object request, string? token = null) =>
        new NodeCall(Directory, "FindCamerasNear", request).WithToken(token ?? TestTokens.For("cameras.read"));

    [Fact]
    public async Task FindCamerasNearReturnsTheCamerasWithinTheRadiusNearestFirst()
    {
        var result = (await Node.CallContractsAsync(cameras.GrpcAddress,
            FindNear(new { latitude = 43.2567, longitude = 76.9286, radius_meters = 2000 }))).Single();

        Assert.Equal(0, result.Code);
        var found = result.Messages.Single()!["cameras"]!.AsArray();
        Assert.Equal(
            [CamerasService.AbayAve.ToString(), CamerasService.PtzNearby.ToString(), CamerasService.BodyWornNorth.ToString()],
            found.Select(c => c!["camera"]!["id"]!.GetValue<string>()));
        var distances = found.Select(c => c!["distance_meters"]!.GetValue<double>()).ToArray();
        Assert.Equal(0, distances[0], 3);
        Assert.InRange(distances[1], Haversine(43.2567, 76.9286, 43.26, 76.94) * 0.995, Haversine(43.2567, 76.9286, 43.26, 76.94) * 1.005);
        Assert.InRange(distances[2], Haversine(43.2567, 76.9286, 43.27, 76.9286) * 0.995, Haversine(43.2567, 76.9286, 43.27, 76.9286) * 1.005);
        var first = found[0]!["camera"]!;
        Assert.Equal("Abay Ave 1", first["name"]!.GetValue<string>());
        Assert.Equal("CAMERA_KIND_FIXED", first["kind"]!.GetValue<string>());
        Assert.Equal("CAMERA_STATUS_ACTIVE", first["status"]!.GetValue<string>());
        Assert.Equal(43.2567, first["location"]!["latitude"]!.GetValue<double>(), 6);
        Assert.Null(found[1]!["camera"]!["name"]);
    }

    [Fact]
    public async Task FiltersAndTheCallersRegionNarrowTheSearch()
    {
        var results = await Node.CallContractsAsync(cameras.GrpcAddress,
            FindNear(new { latitude = 43.2567, longitude = 76.9286, radius_meters = 20_000, kinds = new[] { "CAMERA_KIND_FIXED" }, max_results = 1 }),
            FindNear(new { latitude = 43.2567, longitude = 76.9286, radius_meters = 20_000, statuses = new[] { "CAMERA_STATUS_MAINTENANCE" } }),
            FindNear(new { latitude = 43.2567, longitude = 76.9286, radius_meters = 20_000 },
                TestTokens.Create(new TokenRequest { Roles = ["cameras.read"], Region = "KZ-71" })),
            FindNear(new { latitude = 43.2567, longitude = 76.9286, radius_meters = 20_000, region = "KZ-75" },
                TestTokens.Create(new TokenRequest { Roles = ["cameras.read"], Region = "KZ-71" })));

        string[] Ids(NodeResult r) => r.Messages.Single()!["cameras"]!.AsArray().Select(c => c!["camera"]!["id"]!.GetValue<string>()).ToArray();
        Assert.Equal([CamerasService.AbayAve.ToString()], Ids(results[0]));
        Assert.Equal([CamerasService.PtzNearby.ToString()], Ids(results[1]));
        Assert.Empty(Ids(results[2]));
        Assert.Equal(7, results[3].Code);
    }

    [Fact]
    public async Task InvalidInputIsInvalidArgumentNamingTheField()
    {
        var results = await Node.CallContractsAsync(cameras.GrpcAddress,
            FindNear(new { latitude = 91.0, longitude = 76.9, radius_meters = 100 }),
            FindNear(new { latitude = 43.0, longitude = 76.9, radius_meters = 0 }),
            FindNear(new { latitude = 43.0, longitude = 76.9, radius_meters = 100, max_results = 5000 }),
            FindNear(new { latitude = 43.0, longitude = 76.9, radius_meters = 100, region = "RU-MOW" }));

        Assert.All(results, r => Assert.Equal(3, r.Code));
        Assert.Equal(["latitude", "radius_meters", "max_results", "region"], results.Select(r => r.Details.Split(' ')[0]));
    }

    [Fact]
    public async Task StreamCamerasInRegionStreamsTheWholeRegionInIdOrder()
    {
        var result = (await Node.CallContractsAsync(cameras.GrpcAddress,
            new NodeCall(Directory, "StreamCamerasInRegion", new { region = CamerasService.StreamRegion }).WithToken(TestTokens.For("cameras.read")))).Single();

        Assert.Equal(0, result.Code);
        var ids = result.Messages.Select(m => Guid.Parse(m!["id"]!.GetValue<string>())).ToArray();
        Assert.Equal(CamerasService.StreamRegionCameras, ids.Length);
        Assert.Equal(ids.Order(), ids);
        Assert.All(result.Messages, m => Assert.Equal(CamerasService.StreamRegion, m!["region"]!.GetValue<string>()));
    }

    [Fact]
    public async Task AuthenticationAndRolesAreEnforcedWithGrpcStatuses()
    {
        var results = await Node.CallContractsAsync(cameras.GrpcAddress,
            new NodeCall(Directory, "FindCamerasNear", new { latitude = 43.0, longitude = 76.9, radius_meters = 100 }),
            FindNear(new { latitude = 43.0, longitude = 76.9, radius_meters = 100 }, TestTokens.For("probation.officer")),
            FindNear(new { latitude = 43.0, longitude = 76.9, radius_meters = 100 }, DevTokens.CreateUnsigned(new TokenRequest { Roles = ["cameras.read"] })),
            new NodeCall(Directory, "StreamCamerasInRegion", new { region = "KZ-75" }).WithToken(
                TestTokens.Create(new TokenRequest { Roles = ["cameras.read"], Region = "KZ-71" })));

        Assert.Equal([16, 7, 16, 7], results.Select(r => r.Code));
    }

    [Fact]
    public async Task AnOversizedRequestAndAnExpiredDeadlineGetTheirStatuses()
    {
        var results = await Node.CallContractsAsync(cameras.GrpcAddress,
            FindNear(new { latitude = 43.0, longitude = 76.9, radius_meters = 100, region = new Dictionary<string, int> { ["$string"] = 5 * 1024 * 1024 } }),
            FindNear(new { latitude = 43.2567, longitude = 76.9286, radius_meters = 100_000 }) with { DeadlineMs = 1 },
            FindNear(new { latitude = 43.2567, longitude = 76.9286, radius_meters = 100 }));

        Assert.Equal(8, results[0].Code);
        Assert.Equal("Received message exceeds the maximum configured message size.", results[0].Details);
        Assert.Equal(4, results[1].Code);
        Assert.Equal(0, results[2].Code);
    }

    [Fact]
    public async Task TheHealthServiceReportsReadinessToAnonymousCallers()
    {
        var results = await Node.CallContractsAsync(cameras.GrpcAddress,
            new NodeCall("grpc.health.v1.Health", "Check", new { }),
            new NodeCall("grpc.health.v1.Health", "Check", new { service = Directory }),
            new NodeCall("grpc.health.v1.Health", "Check", new { service = "no.such.Service" }),
            new NodeCall("grpc.health.v1.Health", "Watch", new { }) with { CancelAfterMessages = 1 });

        Assert.Equal("SERVING", results[0].Messages.Single()!["status"]!.GetValue<string>());
        Assert.Equal("SERVING", results[1].Messages.Single()!["status"]!.GetValue<string>());
        Assert.Equal(5, results[2].Code);
        Assert.Equal("SERVING", results[3].Messages.First()!["status"]!.GetValue<string>());
    }

    private static double Haversine(double lat1, double lon1, double lat2, double lon2)
    {
        const double R = 6_371_008.8;
        double Rad(double d) => d * Math.PI / 180;
        var a = Math.Pow(Math.Sin(Rad(lat2 - lat1) / 2), 2) + Math.Cos(Rad(lat1)) * Math.Cos(Rad(lat2)) * Math.Pow(Math.Sin(Rad(lon2 - lon1) / 2), 2);
        return 2 * R * Math.Asin(Math.Sqrt(a));
    }
}
