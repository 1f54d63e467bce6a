using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace PublicSafety.Cameras.Tests;

public sealed class StreamEndpointTests(CamerasService cameras) : IClassFixture<CamerasService>
{
    [Fact]
    public async Task StreamCredentialsAppearOnlyForCamerasStreamAndNeverInTheLogOrInTheClearAtRest()
    {
        var secret = $"pw-{Guid.NewGuid():N}";
        var url = $"rtsp://viewer:{secret}@10.1.2.3:554/stream1";
        var camera = await cameras.CreateAsync();
        using var manager = cameras.Client("cameras.manage,cameras.read");
        Assert.Equal(HttpStatusCode.NoContent, (await manager.PutAsJsonAsync($"/api/cameras/{camera.Id}/stream", new { url })).StatusCode);

        // Everything a reader or manager can see.
        var seen = new List<string>
        {
            await manager.GetStringAsync($"/api/cameras/{camera.Id}"),
            await manager.GetStringAsync("/api/cameras?pageSize=500"),
            await manager.GetStringAsync($"/api/cameras/{camera.Id}/history"),
        };
        var denied = await manager.GetAsync($"/api/cameras/{camera.Id}/stream");
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        seen.Add(await denied.Content.ReadAsStringAsync());
        Assert.All(seen, body => Assert.DoesNotContain(secret, body));
        Assert.True((await manager.GetFromJsonAsync<CameraDto>($"/api/cameras/{camera.Id}"))!.HasStreamEndpoint);

        using var viewer = cameras.Client("cameras.stream");
        var response = await viewer.GetAsync($"/api/cameras/{camera.Id}/stream");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(url, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString());
        Assert.True(response.Headers.CacheControl?.NoStore);

        await using (var db = new NpgsqlConnection(cameras.ConnectionString))
        {
            await db.OpenAsync();
            await using var cmd = new NpgsqlCommand("SELECT position(convert_to(@s, 'UTF8') IN stream_endpoint) > 0 FROM cameras WHERE id = @id", db);
            cmd.Parameters.AddWithValue("s", secret);
            cmd.Parameters.AddWithValue("id", camera.Id);
            Assert.False((bool)(await cmd.ExecuteScalarAsync())!);
        }

        // A rejected URL is not echoed either.
        var bad = await manager.PutAsJsonAsync($"/api/cameras/{camera.Id}/stream", new { url = $"ftp://x:{secret}@h/" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.DoesNotContain(secret, await bad.Content.ReadAsStringAsync());

        await Task.Delay(500); // let the console logger flush to the file
        Assert.DoesNotContain(secret, await ReadSharedAsync(cameras.Service.LogFile));
    }

    [Fact]
    public async Task StreamOfAnotherRegionIsNotFoundForARegionScopedViewer()
    {
        var camera = await cameras.CreateAsync(CamerasService.NewCamera("KZ-75"));
        using var manager = cameras.Client("cameras.manage");
        await manager.PutAsJsonAsync($"/api/cameras/{camera.Id}/stream", new { url = "https://u:p@hls.example/cam.m3u8" });
        using var viewer = cameras.Client("cameras.stream", region: "KZ-71");
        Assert.Equal(HttpStatusCode.NotFound, (await viewer.GetAsync($"/api/cameras/{camera.Id}/stream")).StatusCode);
    }

    private static async Task<string> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }
}
