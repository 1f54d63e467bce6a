using System.Net;
using System.Net.Http.Json;
using Npgsql;
using PublicSafety.Testing;

namespace PublicSafety.Cameras.Tests;

/// <summary>The service with a short silence threshold: the real sweeper, the real outbox dispatcher, the real broker.</summary>
public sealed class ShortThresholdCamerasService : CamerasService
{
    protected override Dictionary<string, string?> Environment => new()
    {
        ["Cameras__Health__OfflineAfter"] = "00:00:02",
        ["Cameras__Health__SweepInterval"] = "00:00:00.250",
    };
}

public sealed class HealthEndToEndTests(ShortThresholdCamerasService cameras) : IClassFixture<ShortThresholdCamerasService>
{
    [Fact]
    public async Task CameraSilentLongerThanTheThresholdGoesOfflineAndComesBackOnItsNextHeartbeat()
    {
        var camera = await cameras.CreateAsync(CamerasService.NewCamera(status: "active"));
        using var client = cameras.Client("cameras.manage,cameras.read");
        var beat = await client.PostAsJsonAsync("/api/cameras/heartbeats", new { heartbeats = new[] { new { cameraId = camera.Id } } });
        Assert.Equal(HttpStatusCode.OK, beat.StatusCode);
        Assert.Equal("online", (await client.GetFromJsonAsync<CameraDto>($"/api/cameras/{camera.Id}"))!.Health);

        Assert.True(await Eventually.HoldsAsync(async () =>
            (await client.GetFromJsonAsync<CameraDto>($"/api/cameras/{camera.Id}"))!.Health == "offline", TimeSpan.FromSeconds(20)));
        await client.PostAsJsonAsync("/api/cameras/heartbeats", new { heartbeats = new[] { new { cameraId = camera.Id } } });
        Assert.Equal("online", (await client.GetFromJsonAsync<CameraDto>($"/api/cameras/{camera.Id}"))!.Health);

        // Both events were published by the dispatcher (sent), in order.
        Assert.True(await Eventually.HoldsAsync(async () => (await SentEventsAsync(camera.Id)).Length == 2, TimeSpan.FromSeconds(30)),
            cameras.Service.RecentOutput());
        Assert.Equal(["CameraWentOffline", "CameraCameBackOnline"], await SentEventsAsync(camera.Id));
    }

    private async Task<string[]> SentEventsAsync(Guid id)
    {
        await using var db = new NpgsqlConnection(cameras.ConnectionString);
        await db.OpenAsync();
        await using var cmd = new NpgsqlCommand(
            "SELECT message_type FROM outbox_messages WHERE aggregate_key = @k AND sent_at IS NOT NULL ORDER BY id", db);
        cmd.Parameters.AddWithValue("k", id.ToString());
        var types = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            types.Add(reader.GetString(0).Split(',')[0].Split('.')[^1]);
        }

        return [.. types];
    }
}
