using System.Net.Http.Json;
using System.Text.Json;

namespace PublicSafety.Cameras.Tests;

public sealed class UptimeTests(CamerasService cameras) : IClassFixture<CamerasService>
{
    [Fact]
    public async Task UptimeByRegionCountsTheRegionsOnlineTimeWhateverOffsetThePeriodIsGivenIn()
    {
        var from = DateTimeOffset.UtcNow.AddMinutes(-1);
        var camera = await cameras.CreateAsync(CamerasService.NewCamera("KZ-62", status: "active"));
        using var client = cameras.Client("cameras.manage,cameras.read");
        await client.PostAsJsonAsync("/api/cameras/heartbeats", new { heartbeats = new[] { new { cameraId = camera.Id } } });

        var utc = await RegionAsync(client, from, from.AddHours(1));
        Assert.Equal("KZ-62", utc.GetProperty("key").GetString());
        Assert.True(utc.GetProperty("monitoredSeconds").GetDouble() > 0);
        Assert.Equal(100, utc.GetProperty("uptimePercent").GetDouble());

        var offset = TimeSpan.FromHours(5);
        var local = await RegionAsync(client, from.ToOffset(offset), from.AddHours(1).ToOffset(offset));
        Assert.Equal(100, local.GetProperty("uptimePercent").GetDouble());
        Assert.True(local.GetProperty("monitoredSeconds").GetDouble() >= utc.GetProperty("monitoredSeconds").GetDouble());
    }

    private static async Task<JsonElement> RegionAsync(HttpClient client, DateTimeOffset from, DateTimeOffset to)
    {
        var response = await client.GetAsync(
            $"/api/cameras/uptime?from={Uri.EscapeDataString(from.ToString("O"))}&to={Uri.EscapeDataString(to.ToString("O"))}&groupBy=region&region=KZ-62");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{response.StatusCode}: {text}");
        return Assert.Single(JsonSerializer.Deserialize<JsonElement[]>(text)!);
    }
}
