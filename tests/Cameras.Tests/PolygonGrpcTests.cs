using Grpc.Core;
using Grpc.Net.Client;
using PublicSafety.Contracts.Cameras.V1;
using PublicSafety.DevToken;
using PublicSafety.Testing;

namespace PublicSafety.Cameras.Tests;

/// <summary>The service with its gRPC endpoint open on a port of its own.</summary>
public sealed class GrpcCamerasService : CamerasService
{
    public int GrpcPort { get; } = FreePort.Next();

    protected override Dictionary<string, string?> Environment => new() { ["Grpc__Url"] = $"http://127.0.0.1:{GrpcPort}" };

    public (CameraDirectory.CameraDirectoryClient Client, GrpcChannel Channel) Directory()
    {
        var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{GrpcPort}");
        return (new CameraDirectory.CameraDirectoryClient(channel), channel);
    }
}

/// <summary>FindCamerasInPolygon: the REST polygon rules over gRPC (INVALID_ARGUMENT), limits, filters and region scope.</summary>
public sealed class PolygonGrpcTests(GrpcCamerasService cameras) : IClassFixture<GrpcCamerasService>
{
    private static Metadata As(string roles, string? region = null) => new()
    {
        { "authorization", $"Bearer {TestTokens.Create(new TokenRequest { Roles = roles.Split(','), Region = region })}" },
    };

    private static FindCamerasInPolygonRequest Square(double west, double south, double east, double north)
    {
        var request = new FindCamerasInPolygonRequest();
        request.Ring.Add(new GeoPoint { Longitude = west, Latitude = south });
        request.Ring.Add(new GeoPoint { Longitude = east, Latitude = south });
        request.Ring.Add(new GeoPoint { Longitude = east, Latitude = north });
        request.Ring.Add(new GeoPoint { Longitude = west, Latitude = north });
        return request;
    }

    [Fact]
    public async Task FindsCamerasInsideAndOnTheBoundaryFilteredAndScoped()
    {
        // A square of its own north of Shymkent, so other tests' cameras stay out of it.
        var inside = await cameras.CreateAsync(new { kind = "fixed", region = "KZ-79", latitude = 42.75, longitude = 69.75, status = "active" });
        var onEdge = await cameras.CreateAsync(new { kind = "ptz", region = "KZ-79", latitude = 42.75, longitude = 69.7, status = "installed" });
        var outside = await cameras.CreateAsync(new { kind = "fixed", region = "KZ-79", latitude = 42.85, longitude = 69.75, status = "active" });
        var otherRegion = await cameras.CreateAsync(new { kind = "fixed", region = "KZ-61", latitude = 42.76, longitude = 69.76, status = "active" });
        var (client, http) = cameras.Directory();
        using var _ = http;

        var all = await client.FindCamerasInPolygonAsync(Square(69.7, 42.7, 69.8, 42.8), As("cameras.read"));
        Assert.Equal(new[] { inside.Id, onEdge.Id, otherRegion.Id }.Select(i => i.ToString()).Order(StringComparer.Ordinal), all.Cameras.Select(c => c.Id));
        Assert.DoesNotContain(all.Cameras, c => c.Id == outside.Id.ToString());
        var first = all.Cameras.Single(c => c.Id == inside.Id.ToString());
        Assert.Equal((CameraKind.Fixed, CameraStatus.Active, "KZ-79"), (first.Kind, first.Status, first.Region));
        Assert.Equal(CameraStatus.Installed, all.Cameras.Single(c => c.Id == onEdge.Id.ToString()).Status);
        Assert.Equal(42.75, first.Location.Latitude, 9);

        var filtered = Square(69.7, 42.7, 69.8, 42.8);
        filtered.Kinds.Add(CameraKind.Ptz);
        Assert.Equal([onEdge.Id.ToString()], (await client.FindCamerasInPolygonAsync(filtered, As("cameras.read"))).Cameras.Select(c => c.Id));
        var active = Square(69.7, 42.7, 69.8, 42.8);
        active.Statuses.Add(CameraStatus.Active);
        active.Region = "KZ-79";
        Assert.Equal([inside.Id.ToString()], (await client.FindCamerasInPolygonAsync(active, As("cameras.read"))).Cameras.Select(c => c.Id));
        var limited = Square(69.7, 42.7, 69.8, 42.8);
        limited.MaxResults = 1;
        Assert.Single((await client.FindCamerasInPolygonAsync(limited, As("cameras.read"))).Cameras);

        // A caller limited to a region sees only its region; asking for another is PERMISSION_DENIED.
        var scoped = await client.FindCamerasInPolygonAsync(Square(69.7, 42.7, 69.8, 42.8), As("cameras.read", region: "KZ-61"));
        Assert.Equal([otherRegion.Id.ToString()], scoped.Cameras.Select(c => c.Id));
        var elsewhere = Square(69.7, 42.7, 69.8, 42.8);
        elsewhere.Region = "KZ-79";
        var denied = await Assert.ThrowsAsync<RpcException>(() => client.FindCamerasInPolygonAsync(elsewhere, As("cameras.read", region: "KZ-61")).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
    }

    public static TheoryData<string, double[]> BadRings => new()
    {
        { "empty", [] },
        { "two positions", [69.5, 42.3, 69.6, 42.3] },
        { "collinear (no area)", [69.5, 42.3, 69.6, 42.3, 69.7, 42.3] },
        { "self-intersecting bow tie", [0, 0, 1, 1, 1, 0, 0, 1] },
        { "longitude out of range", [0, 0, 200, 1, 1, 0] },
        { "latitude not a number", [0, double.NaN, 1, 1, 1, 0] },
        { "antipodal edge", [0, 0, 180, 0, 90, 10] },
        { "pole to pole", [0, 90, 0, -90, 10, 0] },
        { "edge across 200° of longitude", [-100, 0, 100, 0, 100, 10] },
    };

    [Theory]
    [MemberData(nameof(BadRings))]
    public async Task EmptyDegenerateOrSelfIntersectingPolygonIsInvalidArgument(string why, double[] lonLat)
    {
        var request = new FindCamerasInPolygonRequest();
        for (var i = 0; i + 1 < lonLat.Length; i += 2)
        {
            request.Ring.Add(new GeoPoint { Longitude = lonLat[i], Latitude = lonLat[i + 1] });
        }

        var (client, http) = cameras.Directory();
        using var _ = http;
        var error = await Assert.ThrowsAsync<RpcException>(() => client.FindCamerasInPolygonAsync(request, As("cameras.read")).ResponseAsync);
        Assert.True(error.StatusCode == StatusCode.InvalidArgument, $"{why}: {error.StatusCode} {error.Status.Detail}");
        Assert.StartsWith("ring", error.Status.Detail);
    }

    [Fact]
    public async Task LimitsAndVocabularyAreInvalidArgumentAndTheRoleIsRequired()
    {
        var (client, http) = cameras.Directory();
        using var _ = http;
        var tooMany = Square(69.7, 42.7, 69.8, 42.8);
        tooMany.MaxResults = 1001;
        var tooLong = new FindCamerasInPolygonRequest();
        for (var i = 0; i < 1001; i++)
        {
            var angle = 2 * Math.PI * i / 1001;
            tooLong.Ring.Add(new GeoPoint { Longitude = 70 + Math.Cos(angle), Latitude = 45 + Math.Sin(angle) });
        }

        var badKind = Square(69.7, 42.7, 69.8, 42.8);
        badKind.Kinds.Add((CameraKind)42);
        var badRegion = Square(69.7, 42.7, 69.8, 42.8);
        badRegion.Region = "RU-MOW";
        foreach (var (request, field) in new[] { (tooMany, "max_results"), (tooLong, "ring"), (badKind, "kinds"), (badRegion, "region") })
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => client.FindCamerasInPolygonAsync(request, As("cameras.read")).ResponseAsync);
            Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
            Assert.StartsWith(field, error.Status.Detail);
        }

        var forbidden = await Assert.ThrowsAsync<RpcException>(() => client.FindCamerasInPolygonAsync(Square(69.7, 42.7, 69.8, 42.8), As("cameras.ingest")).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, forbidden.StatusCode);
        var anonymous = await Assert.ThrowsAsync<RpcException>(() => client.FindCamerasInPolygonAsync(Square(69.7, 42.7, 69.8, 42.8)).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, anonymous.StatusCode);
    }
}
