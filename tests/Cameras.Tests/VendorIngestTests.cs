using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PublicSafety.DevToken;
using PublicSafety.Testing;

namespace PublicSafety.Cameras.Tests;

/// <summary>cameras.ingest: a vendor's system reports heartbeats for the cameras registered to its client id, and only for those.</summary>
public sealed class VendorIngestTests(CamerasService cameras) : IClassFixture<CamerasService>
{
    private HttpClient Vendor(string client, string? region = null) =>
        cameras.Service.CreateClient(TestTokens.Create(new TokenRequest { Roles = ["cameras.ingest"], Client = client, Region = region }));

    private static object VendorCamera(string? vendor, string region = "KZ-75") => new
    {
        name = "Vendor camera", kind = "fixed", region, latitude = 43.25, longitude = 76.95, status = "active", vendorClientId = vendor,
    };

    [Fact]
    public async Task VendorReportsForItsOwnCamerasAndTheOthersInTheBatchAreRefusedOneByOne()
    {
        var own = await cameras.CreateAsync(VendorCamera("acme-cctv"));
        var others = await cameras.CreateAsync(VendorCamera("other-vendor"));
        var unassigned = await cameras.CreateAsync(VendorCamera(null));
        var unregistered = Guid.NewGuid();
        using var vendor = Vendor("acme-cctv");

        var response = await vendor.PostAsJsonAsync("/api/cameras/heartbeats",
            new { heartbeats = new[] { new { cameraId = own.Id }, new { cameraId = others.Id }, new { cameraId = unassigned.Id }, new { cameraId = unregistered } } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, result.GetProperty("accepted").GetInt32());
        // Someone else's camera looks exactly like one that does not exist.
        Assert.Equal(new[] { others.Id, unassigned.Id, unregistered }.Order(),
            result.GetProperty("unknown").EnumerateArray().Select(e => e.GetGuid()).Order());

        using var reader = cameras.Client("cameras.read");
        Assert.Equal("online", (await reader.GetFromJsonAsync<CameraDto>($"/api/cameras/{own.Id}"))!.Health);
        Assert.Equal("unknown", (await reader.GetFromJsonAsync<CameraDto>($"/api/cameras/{others.Id}"))!.Health);
        Assert.Equal("unknown", (await reader.GetFromJsonAsync<CameraDto>($"/api/cameras/{unassigned.Id}"))!.Health);
    }

    [Fact]
    public async Task ManagerStillReportsForAnyCameraAndTheVendorRegionScopeStillApplies()
    {
        var camera = await cameras.CreateAsync(VendorCamera("acme-cctv"));
        using var manager = cameras.Client("cameras.manage");
        var byManager = await (await manager.PostAsJsonAsync("/api/cameras/heartbeats", new { heartbeats = new[] { new { cameraId = camera.Id } } }))
            .Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, byManager.GetProperty("accepted").GetInt32());

        using var vendorElsewhere = Vendor("acme-cctv", region: "KZ-71");
        var outOfRegion = await (await vendorElsewhere.PostAsJsonAsync("/api/cameras/heartbeats", new { heartbeats = new[] { new { cameraId = camera.Id } } }))
            .Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0, outOfRegion.GetProperty("accepted").GetInt32());
    }

    [Fact]
    public async Task IngestRoleOpensNothingButHeartbeats()
    {
        var camera = await cameras.CreateAsync(VendorCamera("acme-cctv"));
        using var vendor = Vendor("acme-cctv");

        Assert.Equal(HttpStatusCode.Forbidden, (await vendor.PostAsJsonAsync("/api/cameras", VendorCamera("acme-cctv"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await vendor.GetAsync($"/api/cameras/{camera.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await vendor.GetAsync($"/api/cameras/{camera.Id}/stream")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden,
            (await vendor.PostAsJsonAsync($"/api/cameras/{camera.Id}/transitions", new { to = "maintenance" })).StatusCode);
        using var reader = cameras.Client("cameras.read");
        Assert.Equal(HttpStatusCode.Forbidden,
            (await reader.PostAsJsonAsync("/api/cameras/heartbeats", new { heartbeats = new[] { new { cameraId = camera.Id } } })).StatusCode);
    }

    [Fact]
    public async Task VendorClientIdIsValidatedShownAndFilterable()
    {
        var vendorId = $"vendor-{Guid.NewGuid():N}";
        var camera = await cameras.CreateAsync(VendorCamera(vendorId));
        await cameras.CreateAsync(VendorCamera("someone-else"));
        using var client = cameras.Client("cameras.manage,cameras.read");

        var page = await client.GetFromJsonAsync<JsonElement>($"/api/cameras?vendorClientId={vendorId}");
        Assert.Equal(camera.Id, page.GetProperty("items").EnumerateArray().Single().GetProperty("id").GetGuid());
        Assert.Equal(vendorId, page.GetProperty("items")[0].GetProperty("vendorClientId").GetString());

        var bad = await client.PostAsJsonAsync("/api/cameras", VendorCamera("not a client id!"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
        Assert.True((await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("vendorClientId", out _));
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/cameras?vendorClientId=%20")).StatusCode);

        // Reassigning the camera to another vendor takes the first one's right away.
        var reassigned = await client.PutAsJsonAsync($"/api/cameras/{camera.Id}",
            new { kind = "fixed", region = "KZ-75", latitude = 43.25, longitude = 76.95, vendorClientId = "successor-vendor" });
        Assert.Equal(HttpStatusCode.OK, reassigned.StatusCode);
        using var former = Vendor(vendorId);
        var result = await (await former.PostAsJsonAsync("/api/cameras/heartbeats", new { heartbeats = new[] { new { cameraId = camera.Id } } }))
            .Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0, result.GetProperty("accepted").GetInt32());
    }
}
