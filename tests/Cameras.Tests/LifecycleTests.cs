using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace PublicSafety.Cameras.Tests;

public sealed class LifecycleTests(CamerasService cameras) : IClassFixture<CamerasService>
{
    [Fact]
    public async Task CameraMovesThroughItsLifecycleAndEveryStepIsInItsHistory()
    {
        var camera = await cameras.CreateAsync();
        Assert.Equal("planned", camera.Status);
        using var client = cameras.Client("cameras.manage,cameras.read");
        foreach (var to in new[] { "installed", "active", "maintenance", "active", "decommissioned" })
        {
            var response = await client.PostAsJsonAsync($"/api/cameras/{camera.Id}/transitions", new { to, reason = $"to {to}" });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(to, (await response.Content.ReadFromJsonAsync<CameraDto>())!.Status);
        }

        var history = await client.GetFromJsonAsync<JsonElement[]>($"/api/cameras/{camera.Id}/history");
        Assert.Equal(
            ["->planned", "planned->installed", "installed->active", "active->maintenance", "maintenance->active", "active->decommissioned"],
            history!.Select(h => $"{h.GetProperty("from").GetString()}->{h.GetProperty("to").GetString()}"));
    }

    [Theory]
    [InlineData(new string[0], "active")]
    [InlineData(new string[0], "maintenance")]
    [InlineData(new[] { "installed", "active" }, "installed")]
    [InlineData(new[] { "installed", "active" }, "planned")]
    [InlineData(new[] { "decommissioned" }, "active")]
    [InlineData(new[] { "decommissioned" }, "planned")]
    [InlineData(new[] { "installed", "active", "maintenance" }, "maintenance")]
    public async Task DisallowedTransitionIsAConflictAndChangesNothing(string[] path, string to)
    {
        var camera = await cameras.CreateAsync();
        using var client = cameras.Client("cameras.manage,cameras.read");
        foreach (var step in path)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"/api/cameras/{camera.Id}/transitions", new { to = step })).StatusCode);
        }

        var response = await client.PostAsJsonAsync($"/api/cameras/{camera.Id}/transitions", new { to });
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Transition not allowed", problem.GetProperty("title").GetString());

        var after = await client.GetFromJsonAsync<CameraDto>($"/api/cameras/{camera.Id}");
        Assert.Equal(path.Length == 0 ? "planned" : path[^1], after!.Status);
        var history = await client.GetFromJsonAsync<JsonElement[]>($"/api/cameras/{camera.Id}/history");
        Assert.Equal(path.Length + 1, history!.Length);
    }

    [Fact]
    public async Task TransitionOfAnUnknownCameraIsNotFound()
    {
        using var client = cameras.Client("cameras.manage");
        var response = await client.PostAsJsonAsync($"/api/cameras/{Guid.NewGuid()}/transitions", new { to = "installed" });
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
