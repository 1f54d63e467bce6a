using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PublicSafety.DevToken;
using PublicSafety.Testing;

namespace PublicSafety.RoadSafety.Tests;

/// <summary>The real Cameras service next to RoadSafety: RoadSafety calls FindCamerasNear over gRPC with its own token.</summary>
public sealed class RoadSafetyWithCameras : IAsyncLifetime
{
    private readonly int _camerasGrpcPort = FreePort.Next();

    public ServiceProcess Cameras { get; private set; } = null!;

    public TestDatabase CamerasDatabase { get; private set; } = null!;

    public RoadSafetyService RoadSafety { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        (Cameras, CamerasDatabase) = await ServiceProcess.StartWithDatabaseAsync("Cameras",
            new Dictionary<string, string?> { ["Grpc__Url"] = $"http://127.0.0.1:{_camerasGrpcPort}" });
        RoadSafety = new CamerasAwareRoadSafety($"http://127.0.0.1:{_camerasGrpcPort}");
        await RoadSafety.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await RoadSafety.DisposeAsync();
        await Cameras.DisposeAsync();
        await CamerasDatabase.DisposeAsync();
    }

    // The 2 s default deadline is for production; on a loaded test machine the first call (connection, token, JIT) can take longer.
    private sealed class CamerasAwareRoadSafety(string camerasGrpc)
        : RoadSafetyService(new() { ["services__cameras__grpc__0"] = camerasGrpc, ["RoadSafety__CameraCallDeadline"] = "00:00:10" });
}

public sealed class NearbyCamerasTests(RoadSafetyWithCameras system) : IClassFixture<RoadSafetyWithCameras>
{
    [Fact]
    public async Task AConcentrationSiteCarriesTheActiveCamerasNearItFromTheCamerasService()
    {
        const double Lat = 42.8976, Lon = 71.3980;
        using (var cameras = system.Cameras.CreateClient(TestTokens.Create(new TokenRequest { Roles = ["cameras.manage"] })))
        {
            foreach (var (lat, status) in new[] { (Lat + 0.001, "active"), (Lat + 0.0015, "planned"), (Lat + 0.02, "active") })
            {
                using var created = await cameras.PostAsJsonAsync("/api/cameras", new
                {
                    name = $"Tole bi / {status}", kind = "fixed", region = "KZ-31", latitude = lat, longitude = Lon, settlement = "Taraz", siteType = "street",
                    owner = "akimat", status,
                });
                Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
            }
        }

        using (var manager = system.RoadSafety.Manager())
        {
            var accidents = Enumerable.Range(0, 3).Select(i => new
            {
                externalId = $"taraz-{i}", occurredAt = DateTimeOffset.UtcNow.AddDays(-i - 1), region = "KZ-31", latitude = Lat + i * 0.0005, longitude = Lon,
                deaths = 0, injuries = 2, cause = "pedestrian",
            }).ToArray();
            using var imported = await manager.PostAsJsonAsync("/api/roadsafety/accidents", new { accidents });
            Assert.True(imported.IsSuccessStatusCode, await imported.Content.ReadAsStringAsync());
        }

        using var reader = system.RoadSafety.Reader();
        var list = await reader.GetFromJsonAsync<JsonObject>("/api/roadsafety/hotspots?region=KZ-31&cameras=true");

        var site = Assert.Single(list!["items"]!.AsArray())!;
        Assert.Equal("available", site["cameras"]!["status"]!.GetValue<string>());
        // Within 500 m and active: the planned one and the one 2 km north are not.
        var camera = Assert.Single(site["cameras"]!["items"]!.AsArray())!;
        Assert.Equal("Tole bi / active", camera["name"]!.GetValue<string>());
        Assert.True(camera["distanceMeters"]!.GetValue<double>() < 500);

        // Cameras goes away: the site is still there, without cameras.
        await system.Cameras.DisposeAsync();
        var again = await reader.GetFromJsonAsync<JsonObject>("/api/roadsafety/hotspots?region=KZ-31&cameras=true");
        Assert.Equal("unavailable", again!["items"]![0]!["cameras"]!["status"]!.GetValue<string>());
    }
}
