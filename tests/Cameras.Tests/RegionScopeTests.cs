using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Grpc.Core;
using PublicSafety.Contracts.Cameras.V1;
using PublicSafety.DevToken;
using PublicSafety.Testing;

namespace PublicSafety.Cameras.Tests;

/// <summary>
/// A caller limited to Astana (KZ-71) against Almaty's (KZ-75) records, operation by operation over REST and gRPC: one record is
/// 404, a write naming the other region 403, a replay never returns the other region's record, and no list shows it.
/// </summary>
public sealed class RegionScopeTests(GrpcCamerasService cameras) : IClassFixture<GrpcCamerasService>
{
    private const string Own = "KZ-71";
    private const string Foreign = "KZ-75";
    private const double Lat = 43.2567, Lon = 76.9286;

    private HttpClient National(string roles) => cameras.Service.CreateClient(TestTokens.Create(new TokenRequest { Roles = roles.Split(',') }));

    private HttpClient Regional() => cameras.Service.CreateClient(TestTokens.Create(new TokenRequest
    {
        Roles = ["cameras.read", "cameras.manage", "cameras.stream"], Region = Own, Client = "astana-centre", User = "operator.astana",
    }));

    [Fact]
    public async Task AnIdempotencyKeyFirstUsedInAnotherRegionIsAConflictThatShowsNothingOfThatCamera()
    {
        var key = $"key-{Guid.NewGuid():N}";
        using var national = National("cameras.manage");
        national.DefaultRequestHeaders.Add("Idempotency-Key", key);
        var first = await (await national.PostAsJsonAsync("/api/cameras", CamerasService.NewCamera(Foreign))).Content.ReadFromJsonAsync<CameraDto>();

        using var regional = Regional();
        regional.DefaultRequestHeaders.Add("Idempotency-Key", key);
        using var replay = await regional.PostAsJsonAsync("/api/cameras", CamerasService.NewCamera(Own, lat: 51.13, lon: 71.43));
        var text = await replay.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Conflict, replay.StatusCode);
        Assert.Equal("application/problem+json", replay.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain(first!.Id.ToString(), text);
        Assert.DoesNotContain(Foreign, text);

        // The same key in the caller's own region still answers with the first result.
        using var again = await national.PostAsJsonAsync("/api/cameras", CamerasService.NewCamera(Foreign));
        Assert.Equal(first.Id, (await again.Content.ReadFromJsonAsync<CameraDto>())!.Id);
    }

    [Fact]
    public async Task ACameraMovedToAnotherRegionLeavesItsSchoolSoTheSchoolsRegionNoLongerSeesIt()
    {
        using var national = National("cameras.manage,cameras.read");
        var school = await CreateSchoolAsync(national, "School No. 75");
        var camera = await cameras.CreateAsync(CamerasService.NewCamera(Foreign, status: "active"));
        Assert.Equal(HttpStatusCode.NoContent, (await national.PutAsync($"/api/cameras/schools/{school}/cameras/{camera.Id}", null)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await national.PutAsJsonAsync($"/api/cameras/{camera.Id}", CamerasService.NewCamera(Own, lat: 51.13, lon: 71.43))).StatusCode);

        using var almaty = cameras.Service.CreateClient(TestTokens.Create(new TokenRequest { Roles = ["cameras.read"], Region = Foreign }));
        var detail = await almaty.GetStringAsync($"/api/cameras/schools/{school}");
        Assert.DoesNotContain(camera.Id.ToString(), detail);
        var row = (await almaty.GetFromJsonAsync<JsonElement[]>("/api/cameras/schools/compliance?all=true"))!.Single(s => s.GetProperty("id").GetGuid() == school);
        Assert.Equal(0, row.GetProperty("cameras").GetInt64());
    }

    [Fact]
    public async Task EveryOperationOnAnotherRegionsRecordsIsNotFoundOrForbiddenAndNoListOrSearchShowsThem()
    {
        var (camera, school, site) = await ForeignRecordsAsync();
        var from = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(-1).ToString("O"));
        var to = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(1).ToString("O"));
        using var regional = Regional();

        var notFound = new (string Method, string Path, object? Body)[]
        {
            ("GET", $"/api/cameras/{camera}", null),
            ("PUT", $"/api/cameras/{camera}", CamerasService.NewCamera(Own, lat: 51.13, lon: 71.43)),
            ("POST", $"/api/cameras/{camera}/transitions", new { to = "maintenance" }),
            ("GET", $"/api/cameras/{camera}/history", null),
            ("PUT", $"/api/cameras/{camera}/stream", new { url = "rtsp://u:taken@10.1.1.1/live" }),
            ("GET", $"/api/cameras/{camera}/stream", null),
            ("GET", $"/api/cameras/schools/{school}", null),
            ("PUT", $"/api/cameras/schools/{school}/equipment", new { panicButton = "working", guard = "posted" }),
            ("PUT", $"/api/cameras/schools/{school}/cameras/{camera}", null),
            ("DELETE", $"/api/cameras/schools/{school}/cameras/{camera}", null),
            ("DELETE", $"/api/cameras/coverage/sites/{site}", null),
        };
        var forbidden = new (string Method, string Path, object? Body)[]
        {
            ("POST", "/api/cameras", CamerasService.NewCamera(Foreign)),
            ("PUT", $"/api/cameras/{camera}", CamerasService.NewCamera(Foreign)),
            ("PUT", $"/api/cameras/coverage/settlements/{Foreign}/Almaty", new { population = 1 }),
            ("POST", "/api/cameras/coverage/sites", new { name = "Bazaar", region = Foreign, latitude = Lat, longitude = Lon }),
            ("PUT", $"/api/cameras/coverage/plan/2027/{Foreign}", new { plannedCameras = 1 }),
            ("DELETE", $"/api/cameras/coverage/plan/2027/{Foreign}", null),
            ("POST", "/api/cameras/schools", new { name = "School", region = Foreign, panicButton = "working", guard = "posted" }),
            ("GET", $"/api/cameras?region={Foreign}", null),
            ("GET", $"/api/cameras/uptime?from={from}&to={to}&region={Foreign}", null),
            ("GET", $"/api/cameras/coverage/settlements?region={Foreign}", null),
            ("GET", $"/api/cameras/coverage/sites?region={Foreign}", null),
            ("GET", $"/api/cameras/coverage/sites/uncovered?region={Foreign}", null),
            ("GET", $"/api/cameras/coverage/installations?region={Foreign}", null),
            ("GET", $"/api/cameras/coverage/plan?region={Foreign}", null),
            ("GET", $"/api/cameras/schools/compliance?region={Foreign}", null),
            ("GET", $"/api/cameras/stream-reads?from={from}&to={to}&region={Foreign}", null),
        };
        foreach (var (expected, calls) in new[] { (HttpStatusCode.NotFound, notFound), (HttpStatusCode.Forbidden, forbidden) })
        {
            foreach (var (method, path, body) in calls)
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = body is null ? null : JsonContent.Create(body) };
                using var response = await regional.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == expected, $"{method} {path}: {(int)response.StatusCode} {text}");
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                Assert.DoesNotContain("secret", text);
            }
        }

        var lists = new List<string>
        {
            await regional.GetStringAsync("/api/cameras?pageSize=500"),
            await regional.GetStringAsync("/api/cameras/export?format=csv"),
            await regional.GetStringAsync("/api/cameras/export?format=geojson"),
            await regional.GetStringAsync($"/api/cameras/uptime?from={from}&to={to}"),
            await regional.GetStringAsync($"/api/cameras/uptime?from={from}&to={to}&groupBy=region"),
            await regional.GetStringAsync($"/api/cameras/uptime?from={from}&to={to}&groupBy=owner"),
            await regional.GetStringAsync($"/api/cameras/search/near?latitude={Lat}&longitude={Lon}&radiusMeters=1000"),
            await (await regional.PostAsJsonAsync("/api/cameras/search/within",
                new { ring = new[] { new[] { Lon - 0.01, Lat - 0.01 }, new[] { Lon + 0.01, Lat - 0.01 }, new[] { Lon + 0.01, Lat + 0.01 }, new[] { Lon - 0.01, Lat + 0.01 } } }))
                .Content.ReadAsStringAsync(),
            await regional.GetStringAsync("/api/cameras/coverage/settlements"),
            await regional.GetStringAsync("/api/cameras/coverage/sites"),
            await regional.GetStringAsync("/api/cameras/coverage/sites/uncovered"),
            await regional.GetStringAsync("/api/cameras/coverage/installations"),
            await regional.GetStringAsync("/api/cameras/coverage/plan"),
            await regional.GetStringAsync("/api/cameras/schools/compliance?all=true"),
            await regional.GetStringAsync($"/api/cameras/stream-reads?from={from}&to={to}"),
        };
        Assert.All(lists, text =>
        {
            Assert.DoesNotContain(Foreign, text);
            Assert.DoesNotContain(camera.ToString(), text);
            Assert.DoesNotContain(school.ToString(), text);
            Assert.DoesNotContain(site.ToString(), text);
        });

        // A manager of another region reports a heartbeat for the camera: unknown to it, and the camera's state does not change.
        var before = await National("cameras.read").GetFromJsonAsync<CameraDto>($"/api/cameras/{camera}");
        var beat = await (await regional.PostAsJsonAsync("/api/cameras/heartbeats", new { heartbeats = new[] { new { cameraId = camera } } }))
            .Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0, beat.GetProperty("accepted").GetInt32());
        Assert.Equal([camera], beat.GetProperty("unknown").EnumerateArray().Select(e => e.GetGuid()));
        Assert.Equal(before!.LastSeenAt, (await National("cameras.read").GetFromJsonAsync<CameraDto>($"/api/cameras/{camera}"))!.LastSeenAt);

        // gRPC: the searches leave the other region out, and asking for it by name is PERMISSION_DENIED.
        var (client, http) = cameras.Directory();
        using var _ = http;
        var grpc = new Metadata { { "authorization", $"Bearer {TestTokens.Create(new TokenRequest { Roles = ["cameras.read"], Region = Own })}" } };
        Assert.Empty((await client.FindCamerasNearAsync(new FindCamerasNearRequest { Latitude = Lat, Longitude = Lon, RadiusMeters = 1000 }, grpc)).Cameras);
        var polygon = new FindCamerasInPolygonRequest();
        polygon.Ring.Add(new[] { (Lon - 0.01, Lat - 0.01), (Lon + 0.01, Lat - 0.01), (Lon + 0.01, Lat + 0.01), (Lon - 0.01, Lat + 0.01) }
            .Select(p => new GeoPoint { Longitude = p.Item1, Latitude = p.Item2 }));
        Assert.Empty((await client.FindCamerasInPolygonAsync(polygon, grpc)).Cameras);
        polygon.Region = Foreign;
        Assert.Equal(StatusCode.PermissionDenied, (await Assert.ThrowsAsync<RpcException>(() => client.FindCamerasInPolygonAsync(polygon, grpc).ResponseAsync)).StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, (await Assert.ThrowsAsync<RpcException>(() =>
            client.FindCamerasNearAsync(new FindCamerasNearRequest { Latitude = Lat, Longitude = Lon, RadiusMeters = 1000, Region = Foreign }, grpc).ResponseAsync)).StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, (await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var _ in client.StreamCamerasInRegion(new StreamCamerasInRegionRequest { Region = Foreign }, grpc).ResponseStream.ReadAllAsync())
            {
            }
        })).StatusCode);
    }

    /// <summary>A national manager's Almaty records: an active camera that reported, with a stream endpoint read once, its school, a site, a plan.</summary>
    private async Task<(Guid Camera, Guid School, Guid Site)> ForeignRecordsAsync()
    {
        using var national = National("cameras.manage,cameras.read,cameras.stream");
        var camera = await cameras.CreateAsync(new
        {
            name = "Almaty secret camera", kind = "fixed", region = Foreign, latitude = Lat, longitude = Lon, status = "active", settlement = "Almaty",
            installedOn = "2025-03-01", owner = "akimat",
        });
        Assert.Equal(HttpStatusCode.OK, (await national.PostAsJsonAsync("/api/cameras/heartbeats", new { heartbeats = new[] { new { cameraId = camera.Id } } })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await national.PutAsJsonAsync($"/api/cameras/{camera.Id}/stream", new { url = "rtsp://u:secret@10.1.1.1/live" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await national.GetAsync($"/api/cameras/{camera.Id}/stream")).StatusCode);
        var school = await CreateSchoolAsync(national, "Almaty school");
        Assert.Equal(HttpStatusCode.NoContent, (await national.PutAsync($"/api/cameras/schools/{school}/cameras/{camera.Id}", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await national.PutAsJsonAsync($"/api/cameras/coverage/settlements/{Foreign}/Almaty", new { population = 2_000_000 })).StatusCode);
        using var site = await national.PostAsJsonAsync("/api/cameras/coverage/sites", new { name = "Almaty bazaar", region = Foreign, latitude = Lat + 0.05, longitude = Lon });
        Assert.Equal(HttpStatusCode.Created, site.StatusCode);
        Assert.True((await national.PutAsJsonAsync($"/api/cameras/coverage/plan/2027/{Foreign}", new { plannedCameras = 100 })).IsSuccessStatusCode);
        return (camera.Id, school, (await site.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
    }

    private static async Task<Guid> CreateSchoolAsync(HttpClient client, string name)
    {
        using var response = await client.PostAsJsonAsync("/api/cameras/schools", new { name, region = Foreign, panicButton = "working", guard = "posted" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }
}
