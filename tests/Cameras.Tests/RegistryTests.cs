using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace PublicSafety.Cameras.Tests;

public sealed class RegistryTests(CamerasService cameras) : IClassFixture<CamerasService>
{
    [Fact]
    public async Task RegisteredCameraCanBeReadUpdatedAndFoundByFilter()
    {
        var settlement = $"Town-{Guid.NewGuid():N}";
        var created = await cameras.CreateAsync(new
        {
            kind = "body_worn", region = "KZ-35", latitude = 49.8, longitude = 73.1, settlement, owner = "police", siteType = "street",
            capabilities = new[] { "audio" }, controlCentre = "Duty unit 3", status = "active",
        });
        Assert.Equal("active", created.Status);
        Assert.Equal("unknown", created.Health);

        using var client = cameras.Client("cameras.manage,cameras.read");
        var update = await client.PutAsJsonAsync($"/api/cameras/{created.Id}", new
        {
            name = "Renamed", kind = "body_worn", region = "KZ-35", latitude = 49.81, longitude = 73.11, settlement, owner = "police",
            capabilities = new[] { "audio", "night_vision" }, controlCentre = "ЦОУ Караганда",
        });
        Assert.Equal(HttpStatusCode.OK, update.StatusCode);

        var read = await client.GetFromJsonAsync<CameraDto>($"/api/cameras/{created.Id}");
        Assert.Equal("Renamed", read!.Name);
        Assert.Equal(["audio", "night_vision"], read.Capabilities);
        Assert.Equal("ЦОУ Караганда", read.ControlCentre);
        Assert.Equal(49.81, read.Latitude, 6);

        await cameras.CreateAsync(new { kind = "fixed", region = "KZ-35", latitude = 49.8, longitude = 73.1, settlement });
        var page = await client.GetFromJsonAsync<JsonElement>($"/api/cameras?settlement={settlement}&kind=body_worn&pageSize=10");
        Assert.Equal(1, page.GetProperty("total").GetInt64());
        Assert.Equal(created.Id, page.GetProperty("items")[0].GetProperty("id").GetGuid());

        var paged = await client.GetFromJsonAsync<JsonElement>($"/api/cameras?settlement={settlement}&page=2&pageSize=1");
        Assert.Equal(2, paged.GetProperty("total").GetInt64());
        Assert.Equal(1, paged.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task RepeatedIdempotencyKeyReturnsTheFirstCamera()
    {
        using var client = cameras.Client("cameras.manage");
        var key = Guid.NewGuid().ToString();
        var first = await Post();
        var second = await Post();
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal((await first.Content.ReadFromJsonAsync<CameraDto>())!.Id, (await second.Content.ReadFromJsonAsync<CameraDto>())!.Id);

        Task<HttpResponseMessage> Post()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/cameras") { Content = JsonContent.Create(CamerasService.NewCamera()) };
            request.Headers.Add("Idempotency-Key", key);
            return client.SendAsync(request);
        }
    }

    [Fact]
    public async Task RegionScopedCallerSeesAndChangesOnlyItsRegion()
    {
        var almaty = await cameras.CreateAsync(CamerasService.NewCamera("KZ-75"));
        var astana = await cameras.CreateAsync(CamerasService.NewCamera("KZ-71"));
        using var scoped = cameras.Client("cameras.manage,cameras.read", region: "KZ-71");

        Assert.Equal(HttpStatusCode.NotFound, (await scoped.GetAsync($"/api/cameras/{almaty.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await scoped.GetAsync($"/api/cameras/{astana.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await scoped.GetAsync("/api/cameras?region=KZ-75")).StatusCode);
        var listed = await scoped.GetFromJsonAsync<JsonElement>("/api/cameras?pageSize=500");
        Assert.All(listed.GetProperty("items").EnumerateArray(), c => Assert.Equal("KZ-71", c.GetProperty("region").GetString()));

        Assert.Equal(HttpStatusCode.Forbidden, (await scoped.PostAsJsonAsync("/api/cameras", CamerasService.NewCamera("KZ-75"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await scoped.PutAsJsonAsync($"/api/cameras/{almaty.Id}", CamerasService.NewCamera("KZ-71"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await scoped.PutAsJsonAsync($"/api/cameras/{astana.Id}", CamerasService.NewCamera("KZ-75"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound,
            (await scoped.PostAsJsonAsync($"/api/cameras/{almaty.Id}/transitions", new { to = "installed" })).StatusCode);

        using var national = cameras.Client("cameras.read");
        Assert.Equal("planned", (await national.GetFromJsonAsync<CameraDto>($"/api/cameras/{almaty.Id}"))!.Status);
    }

    [Fact]
    public async Task ReadRoleCannotWriteAndNoRoleCannotRead()
    {
        using var reader = cameras.Client("cameras.read");
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsJsonAsync("/api/cameras", CamerasService.NewCamera())).StatusCode);
        using var other = cameras.Client("probation.officer");
        Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync("/api/cameras")).StatusCode);
        using var anonymous = cameras.Service.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/cameras")).StatusCode);
    }
}
