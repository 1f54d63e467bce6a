using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Npgsql;
using PublicSafety.Cameras.Infrastructure;
using PublicSafety.Testing;

namespace PublicSafety.Cameras.Tests;

/// <summary>The service after a stream key rotation: a new <c>Cameras:StreamKey</c>, the old one listed as previous.</summary>
public sealed class RotatedStreamKeyCamerasService : CamerasService
{
    public string OldKey { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public string NewKey { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    protected override Dictionary<string, string?> Environment => new()
    {
        ["Cameras__StreamKey"] = NewKey,
        ["Cameras__PreviousStreamKeys__0"] = OldKey,
    };
}

public sealed class StreamKeyRotationTests(RotatedStreamKeyCamerasService cameras) : IClassFixture<RotatedStreamKeyCamerasService>
{
    [Fact]
    public async Task EndpointsSealedWithTheOldKeyInEitherLayoutStayReadableAndNewOnesUseTheNewKey()
    {
        var legacy = await cameras.CreateAsync();
        var versioned = await cameras.CreateAsync();
        await StoreAsync(legacy.Id, StreamProtectorTests.LegacySeal(cameras.OldKey, legacy.Id, "rtsp://u:legacy@10.0.0.1/live"));
        await StoreAsync(versioned.Id, Protector(cameras.OldKey).Seal(versioned.Id, "rtsp://u:versioned@10.0.0.1/live"));

        using var viewer = cameras.Client("cameras.stream");
        Assert.Equal("rtsp://u:legacy@10.0.0.1/live", (await viewer.GetFromJsonAsync<JsonElement>($"/api/cameras/{legacy.Id}/stream")).GetProperty("url").GetString());
        Assert.Equal("rtsp://u:versioned@10.0.0.1/live",
            (await viewer.GetFromJsonAsync<JsonElement>($"/api/cameras/{versioned.Id}/stream")).GetProperty("url").GetString());

        using var manager = cameras.Client("cameras.manage");
        await manager.PutAsJsonAsync($"/api/cameras/{legacy.Id}/stream", new { url = "rtsp://u:fresh@10.0.0.1/live" });
        Assert.Equal(Protector(cameras.NewKey).CurrentKeyId, Convert.ToHexStringLower((await LoadAsync(legacy.Id)).AsSpan(1, 4)));
        Assert.Equal("rtsp://u:fresh@10.0.0.1/live", (await viewer.GetFromJsonAsync<JsonElement>($"/api/cameras/{legacy.Id}/stream")).GetProperty("url").GetString());
    }

    [Fact]
    public async Task AnEndpointSealedWithAKeyTheServiceDoesNotHaveIsAProblemThatSaysWhatToDoAndIsLoggedWithoutTheSecret()
    {
        var camera = await cameras.CreateAsync();
        var secret = $"pw-{Guid.NewGuid():N}";
        var lost = Protector(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        await StoreAsync(camera.Id, lost.Seal(camera.Id, $"rtsp://u:{secret}@10.0.0.1/live"));

        using var viewer = cameras.Client("cameras.stream");
        var response = await viewer.GetAsync($"/api/cameras/{camera.Id}/stream");
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal("Stream endpoint unreadable", problem.GetProperty("title").GetString());
        Assert.Contains("Cameras:PreviousStreamKeys", problem.GetProperty("detail").GetString());
        Assert.DoesNotContain(secret, text);

        Assert.True(await Eventually.HoldsAsync(async () => (await ReadSharedAsync(cameras.Service.LogFile)).Contains($"key {lost.CurrentKeyId}"),
            TimeSpan.FromSeconds(10)), cameras.Service.RecentOutput());
        var log = await ReadSharedAsync(cameras.Service.LogFile);
        Assert.Contains(camera.Id.ToString(), log);
        Assert.DoesNotContain(secret, log);
        Assert.DoesNotContain(cameras.NewKey, log);
        Assert.DoesNotContain(cameras.OldKey, log);
    }

    private static StreamProtector Protector(string key) =>
        new(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Cameras:StreamKey"] = key }).Build());

    private async Task StoreAsync(Guid camera, byte[] sealedEndpoint)
    {
        await using var db = new NpgsqlConnection(cameras.ConnectionString);
        await db.OpenAsync();
        await using var cmd = new NpgsqlCommand("UPDATE cameras SET stream_endpoint = @s WHERE id = @id", db);
        cmd.Parameters.AddWithValue("s", sealedEndpoint);
        cmd.Parameters.AddWithValue("id", camera);
        Assert.Equal(1, await cmd.ExecuteNonQueryAsync());
    }

    private async Task<byte[]> LoadAsync(Guid camera)
    {
        await using var db = new NpgsqlConnection(cameras.ConnectionString);
        await db.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT stream_endpoint FROM cameras WHERE id = @id", db);
        cmd.Parameters.AddWithValue("id", camera);
        return (byte[])(await cmd.ExecuteScalarAsync())!;
    }

    private static async Task<string> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }
}
