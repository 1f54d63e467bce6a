using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace PublicSafety.Cameras.Tests;

public sealed class SpatialSearchTests(CamerasService cameras) : IClassFixture<CamerasService>
{
    [Theory]
    [InlineData(51.1694, 71.4491, 51.1801, 71.4460)]
    // Here PostGIS's ST_DWithin measures about 1e-8 m more than ST_Distance: the camera is still on the radius it reports.
    [InlineData(51.1694, 71.4517, 51.1801, 71.4460)]
    public async Task CameraExactlyOnTheRadiusIsFoundAndOneMillimetreShortIsNot(double cameraLat, double cameraLon, double lat, double lon)
    {
        var camera = await cameras.CreateAsync(CamerasService.NewCamera("KZ-71", lat: cameraLat, lon: cameraLon));
        var distance = await cameras.DistanceAsync(camera.Id, lat, lon);
        using var client = cameras.Client("cameras.read");

        var on = await client.GetFromJsonAsync<JsonElement[]>(Near(lat, lon, distance));
        Assert.Contains(on!, h => h.GetProperty("id").GetGuid() == camera.Id);
        Assert.Equal(distance, on!.Single(h => h.GetProperty("id").GetGuid() == camera.Id).GetProperty("distanceMeters").GetDouble(), 3);
        var shorter = await client.GetFromJsonAsync<JsonElement[]>(Near(lat, lon, distance - 0.001));
        Assert.DoesNotContain(shorter!, h => h.GetProperty("id").GetGuid() == camera.Id);

        using var otherRegion = cameras.Client("cameras.read", region: "KZ-75");
        Assert.Empty((await otherRegion.GetFromJsonAsync<JsonElement[]>(Near(lat, lon, distance)))!);
    }

    [Fact]
    public async Task PolygonFindsCamerasInsideAndOnItsBoundary()
    {
        var inside = await cameras.CreateAsync(CamerasService.NewCamera("KZ-79", lat: 42.35, lon: 69.55));
        // Edges are geodesics: a meridian edge is exactly the meridian (a parallel edge would bulge poleward).
        var onEdge = await cameras.CreateAsync(CamerasService.NewCamera("KZ-79", lat: 42.35, lon: 69.5));
        var outside = await cameras.CreateAsync(CamerasService.NewCamera("KZ-79", lat: 42.45, lon: 69.55));
        using var client = cameras.Client("cameras.read");
        var response = await client.PostAsJsonAsync("/api/cameras/search/within",
            new { ring = new[] { new[] { 69.5, 42.3 }, new[] { 69.6, 42.3 }, new[] { 69.6, 42.4 }, new[] { 69.5, 42.4 } } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var ids = (await response.Content.ReadFromJsonAsync<JsonElement[]>())!.Select(h => h.GetProperty("id").GetGuid()).ToArray();
        Assert.Contains(inside.Id, ids);
        Assert.Contains(onEdge.Id, ids);
        Assert.DoesNotContain(outside.Id, ids);
    }

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"ring":[]}""")]
    [InlineData("""{"ring":[[69.5,42.3],[69.6,42.3]]}""")]
    [InlineData("""{"ring":[[69.5,42.3],[69.6,42.3],[69.7,42.3]]}""")]
    [InlineData("""{"ring":[[0,0],[1,1],[1,0],[0,1]]}""")]
    [InlineData("""{"ring":[[0,0],[1],[1,0]]}""")]
    [InlineData("""{"ring":[[0,0],[200,1],[1,0]]}""")]
    [InlineData("""{"ring":"POLYGON((0 0, 1 1))"}""")]
    // Geography cannot draw an edge between antipodal positions, and reads one across 180° of longitude the other way round.
    [InlineData("""{"ring":[[0,0],[180,0],[90,10]]}""")]
    [InlineData("""{"ring":[[0,10],[179.999999999999,-10],[90,50]]}""")]
    [InlineData("""{"ring":[[0,90],[0,-90],[10,0]]}""")]
    [InlineData("""{"ring":[[-100,0],[100,0],[100,10]]}""")]
    public async Task EmptyOrInvalidPolygonIsRejected(string body)
    {
        using var client = cameras.Client("cameras.read");
        var response = await client.PostAsync("/api/cameras/search/within", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("latitude=91&longitude=0&radiusMeters=10")]
    [InlineData("latitude=0&longitude=0&radiusMeters=0")]
    [InlineData("latitude=0&longitude=0&radiusMeters=100001")]
    [InlineData("latitude=0&longitude=0&radiusMeters=NaN")]
    [InlineData("latitude=0&longitude=0")]
    [InlineData("latitude=x&longitude=0&radiusMeters=10")]
    public async Task BadRadiusSearchIsRejected(string query)
    {
        using var client = cameras.Client("cameras.read");
        var response = await client.GetAsync($"/api/cameras/search/near?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private static string Near(double lat, double lon, double radius) =>
        FormattableString.Invariant($"/api/cameras/search/near?latitude={lat}&longitude={lon}&radiusMeters={radius:R}");
}
