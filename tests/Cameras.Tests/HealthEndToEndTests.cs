using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Npgsql;
using PublicSafety.Testing;

namespace PublicSafety.Cameras.Tests;

/// <summary>The service with a short silence threshold: the real sweeper, the real outbox dispatcher, the real broker.</summary>
public sealed class ShortThresholdCamerasService : CamerasService
{
    /// <summary>A key of its own rather than the development one, so tests can look for it.</summary>
    public string StreamKey { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    protected override Dictionary<string, string?> Environment => new()
    {
        ["Cameras__Health__OfflineAfter"] = "00:00:02",
        ["Cameras__Health__SweepInterval"] = "00:00:00.250",
        ["Cameras__StreamKey"] = StreamKey,
    };
}

public sealed class HealthEndToEndTests(ShortThresholdCamerasService cameras) : IClassFixture<ShortThresholdCamerasService>
{
    [Fact]
    public async Task CameraSilentLongerThanTheThresholdGoesOfflineAndComesBackOnItsNextHeartbeat()
    {
        var camera = await cameras.CreateAsync(CamerasService.NewCamera(status: "active"));
        await GoOfflineAndBackAsync(camera.Id);

        // Both events were published by the dispatcher (sent), in order. Two seconds after coming back the silent camera goes
        // offline again, and a slow dispatcher may send that third event together with the second: the first two are what count.
        Assert.True(await Eventually.HoldsAsync(async () => (await SentEventsAsync(camera.Id)).Length >= 2, TimeSpan.FromSeconds(30)),
            cameras.Service.RecentOutput());
        Assert.Equal(["CameraWentOffline", "CameraCameBackOnline"], (await SentEventsAsync(camera.Id))[..2]);
    }

    [Fact]
    public async Task EventsNeverCarryTheStreamEndpointOrTheStreamKey()
    {
        var camera = await cameras.CreateAsync(CamerasService.NewCamera(status: "active"));
        var secret = $"pw-{Guid.NewGuid():N}";
        using var manager = cameras.Client("cameras.manage");
        var set = await manager.PutAsJsonAsync($"/api/cameras/{camera.Id}/stream", new { url = $"rtsp://viewer:{secret}@10.1.2.3:554/stream1" });
        Assert.Equal(HttpStatusCode.NoContent, set.StatusCode);
        await GoOfflineAndBackAsync(camera.Id);

        await using var db = new NpgsqlConnection(cameras.ConnectionString);
        await db.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT aggregate_key, body::text FROM outbox_messages", db);
        var events = new List<(string Key, string Body)>();
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                events.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        Assert.True(events.Count(e => e.Key == camera.Id.ToString()) >= 2); // offline, back online (and maybe offline again by now)
        Assert.All(events, e =>
        {
            Assert.DoesNotContain(secret, e.Body);
            Assert.DoesNotContain("rtsp://", e.Body);
            Assert.DoesNotContain(cameras.StreamKey, e.Body);
        });
    }

    /// <summary>A heartbeat, silence until the sweeper marks the camera offline, and the heartbeat that brings it back.</summary>
    private async Task GoOfflineAndBackAsync(Guid id)
    {
        using var client = cameras.Client("cameras.manage,cameras.read");
        var beat = await client.PostAsJsonAsync("/api/cameras/heartbeats", new { heartbeats = new[] { new { cameraId = id } } });
        Assert.Equal(HttpStatusCode.OK, beat.StatusCode);
        Assert.Equal("online", (await client.GetFromJsonAsync<CameraDto>($"/api/cameras/{id}"))!.Health);

        Assert.True(await Eventually.HoldsAsync(async () =>
            (await client.GetFromJsonAsync<CameraDto>($"/api/cameras/{id}"))!.Health == "offline", TimeSpan.FromSeconds(20)));
        await client.PostAsJsonAsync("/api/cameras/heartbeats", new { heartbeats = new[] { new { cameraId = id } } });
        Assert.Equal("online", (await client.GetFromJsonAsync<CameraDto>($"/api/cameras/{id}"))!.Health);
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
