using PublicSafety.DevToken;
using PublicSafety.Grpc.Tests.Infrastructure;
using PublicSafety.Testing;

namespace PublicSafety.Grpc.Tests;

/// <summary>grpc-js calls FindCamerasInPolygon on the real Cameras service through the .proto in contracts/ (the additive rpc).</summary>
public sealed class ReferenceClientCallsCamerasPolygonTests(CamerasService cameras) : IClassFixture<CamerasService>
{
    private const string Directory = "publicsafety.cameras.v1.CameraDirectory";

    private static NodeCall InPolygon(object request, string? token = null) =>
        new NodeCall(Directory, "FindCamerasInPolygon", request).WithToken(token ?? TestTokens.For("cameras.read"));

    private static object[] Ring(params (double Lat, double Lon)[] points) =>
        points.Select(p => (object)new { latitude = p.Lat, longitude = p.Lon }).ToArray();

    private static readonly object[] CentralAlmaty = Ring((43.25, 76.92), (43.25, 76.95), (43.275, 76.95), (43.275, 76.92));

    [Fact]
    public async Task FindsTheCamerasInsideThePolygonInIdOrderFilteredAndScoped()
    {
        var results = await Node.CallContractsAsync(cameras.GrpcAddress,
            InPolygon(new { ring = CentralAlmaty }),
            InPolygon(new { ring = CentralAlmaty, statuses = new[] { "CAMERA_STATUS_ACTIVE" }, kinds = new[] { "CAMERA_KIND_FIXED" } }),
            InPolygon(new { ring = CentralAlmaty, max_results = 1 }),
            InPolygon(new { ring = CentralAlmaty }, TestTokens.Create(new TokenRequest { Roles = ["cameras.read"], Region = "KZ-71" })),
            InPolygon(new { ring = CentralAlmaty, region = "KZ-75" }, TestTokens.Create(new TokenRequest { Roles = ["cameras.read"], Region = "KZ-71" })));

        string[] Ids(NodeResult r) => r.Messages.Single()!["cameras"]!.AsArray().Select(c => c!["id"]!.GetValue<string>()).ToArray();
        Assert.Equal([CamerasService.AbayAve.ToString(), CamerasService.PtzNearby.ToString(), CamerasService.BodyWornNorth.ToString()], Ids(results[0]));
        Assert.Equal([CamerasService.AbayAve.ToString()], Ids(results[1]));
        Assert.Equal([CamerasService.AbayAve.ToString()], Ids(results[2]));
        Assert.Empty(Ids(results[3]));
        Assert.Equal(7, results[4].Code);
    }

    [Fact]
    public async Task EmptyDegenerateOrSelfIntersectingPolygonIsInvalidArgument()
    {
        var results = await Node.CallContractsAsync(cameras.GrpcAddress,
            InPolygon(new { }),
            InPolygon(new { ring = Ring((43.25, 76.92), (43.26, 76.93)) }),
            InPolygon(new { ring = Ring((43.25, 76.92), (43.25, 76.93), (43.25, 76.94)) }),
            InPolygon(new { ring = Ring((0, 0), (1, 1), (0, 1), (1, 0)) }),
            InPolygon(new { ring = CentralAlmaty, max_results = 5000 }));

        Assert.All(results, r => Assert.Equal(3, r.Code));
        Assert.Equal(["ring", "ring", "ring", "ring", "max_results"], results.Select(r => r.Details.Split(' ')[0]));
    }
}
