using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Npgsql;
using PublicSafety.Cameras.Infrastructure;
using PublicSafety.DevToken;
using PublicSafety.Testing;

namespace PublicSafety.Cameras.Tests;

/// <summary>`PublicSafety.Cameras rekey`: every stored stream endpoint under the current key, in batches, rerunnable, so the old keys can go.</summary>
public sealed class RekeyCommandTests
{
    private static readonly string OldKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private static readonly string NewKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public async Task RekeyPutsEveryReadableEndpointUnderTheCurrentKeyReportsTheRestAndAfterItTheOldKeyIsNotNeeded()
    {
        await using var database = await TestDatabase.CreateAsync("cameras", postgis: true);
        var endpoints = new Dictionary<Guid, string>();
        Guid lost, bare;
        var env = ServiceProcess.EnvironmentFor("Cameras", database.ConnectionString);
        env["Cameras__StreamKey"] = OldKey;
        await using (var service = await ServiceProcess.StartReadyAsync("Cameras", env))
        {
            using var manager = service.CreateClient(TestTokens.Create(new TokenRequest { Roles = ["cameras.manage"] }));
            async Task<Guid> CreateAsync()
            {
                var created = await manager.PostAsJsonAsync("/api/cameras", new { kind = "fixed", region = "KZ-75", latitude = 43.2, longitude = 76.9 });
                Assert.Equal(HttpStatusCode.Created, created.StatusCode);
                return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
            }

            // Five set through the API under the old key: more than two batches of two.
            for (var i = 0; i < 5; i++)
            {
                var id = await CreateAsync();
                endpoints[id] = $"rtsp://u:pw{i}@10.0.0.{i}/live";
                Assert.Equal(HttpStatusCode.NoContent, (await manager.PutAsJsonAsync($"/api/cameras/{id}/stream", new { url = endpoints[id] })).StatusCode);
            }

            // One from before key ids, one already under the new key (as if a run had been interrupted after it), one no key opens.
            var legacy = await CreateAsync();
            endpoints[legacy] = "https://u:legacy@hls.example/cam.m3u8";
            await StoreAsync(database, legacy, StreamProtectorTests.LegacySeal(OldKey, legacy, endpoints[legacy]));
            var done = await CreateAsync();
            endpoints[done] = "rtsp://u:done@10.0.1.1/live";
            await StoreAsync(database, done, Protector(NewKey).Seal(done, endpoints[done]));
            lost = await CreateAsync();
            await StoreAsync(database, lost, Protector(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))).Seal(lost, "rtsp://u:lost@10.0.2.1/live"));
            bare = await CreateAsync();
        }

        var lostBefore = await LoadAsync(database, lost);
        var first = await RekeyAsync(database, "--batch-size", "2", $"--Cameras:StreamKey={NewKey}", $"--Cameras:PreviousStreamKeys:0={OldKey}");
        Assert.True(first.ExitCode == 2, first.Output);
        var newId = Protector(NewKey).CurrentKeyId;
        Assert.Contains($"Stream endpoints under key {newId}: 8 examined, 6 re-encrypted", first.Output);
        Assert.Contains($"5 sealed with key {Protector(OldKey).CurrentKeyId}", first.Output);
        Assert.Contains("1 sealed with no key id", first.Output);
        Assert.Contains("1 already under it, 1 unreadable", first.Output);
        Assert.Contains($"camera {lost}: sealed with key", first.Output);
        Assert.DoesNotContain("pw0", first.Output);
        Assert.DoesNotContain(OldKey, first.Output);
        Assert.DoesNotContain(NewKey, first.Output);
        foreach (var id in endpoints.Keys)
        {
            Assert.Equal(newId, Convert.ToHexStringLower((await LoadAsync(database, id)).AsSpan(1, 4)));
        }

        Assert.Equal(lostBefore, await LoadAsync(database, lost));
        Assert.Null(await LoadOrNullAsync(database, bare));

        // A second run finds nothing to do.
        var again = await RekeyAsync(database, $"--Cameras:StreamKey={NewKey}", $"--Cameras:PreviousStreamKeys:0={OldKey}");
        Assert.True(again.ExitCode == 2, again.Output);
        Assert.Contains("8 examined, 0 re-encrypted, 7 already under it, 1 unreadable", again.Output);

        // Once the unreadable one is set again, a run reports the previous keys removable, and the service does without them.
        await StoreAsync(database, lost, Protector(NewKey).Seal(lost, "rtsp://u:reset@10.0.2.1/live"));
        endpoints[lost] = "rtsp://u:reset@10.0.2.1/live";
        var clean = await RekeyAsync(database, $"--Cameras:StreamKey={NewKey}");
        Assert.True(clean.ExitCode == 0, clean.Output);
        Assert.Contains("Cameras:PreviousStreamKeys can be removed", clean.Output);

        var onlyNew = ServiceProcess.EnvironmentFor("Cameras", database.ConnectionString);
        onlyNew["Cameras__StreamKey"] = NewKey;
        await using var rotated = await ServiceProcess.StartReadyAsync("Cameras", onlyNew);
        using var viewer = rotated.CreateClient(TestTokens.Create(new TokenRequest { Roles = ["cameras.stream"] }));
        foreach (var (id, url) in endpoints)
        {
            Assert.Equal(url, (await viewer.GetFromJsonAsync<JsonElement>($"/api/cameras/{id}/stream")).GetProperty("url").GetString());
        }
    }

    [Fact]
    public async Task RekeyRefusesBadArgumentsAndAMissingKey()
    {
        await using var database = await TestDatabase.CreateAsync("cameras", postgis: true);
        Assert.Equal(2, (await RekeyAsync(database, "--batch-size", "0")).ExitCode);
        var missing = await RekeyAsync(database, "--Cameras:StreamKey=");
        Assert.True(missing.ExitCode == 1, missing.Output);
        Assert.Contains("Cameras:StreamKey is not configured", missing.Output);
    }

    private static Task<(int ExitCode, string Output)> RekeyAsync(TestDatabase database, params string[] arguments) =>
        ServiceProcess.RunCommandAsync("Cameras", database.ConnectionString, ["rekey", .. arguments]);

    private static StreamProtector Protector(string key) =>
        new(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Cameras:StreamKey"] = key }).Build());

    private static async Task StoreAsync(TestDatabase database, Guid camera, byte[] sealedEndpoint)
    {
        await using var db = new NpgsqlConnection(database.ConnectionString);
        await db.OpenAsync();
        await using var cmd = new NpgsqlCommand("UPDATE cameras SET stream_endpoint = @s WHERE id = @id", db);
        cmd.Parameters.AddWithValue("s", sealedEndpoint);
        cmd.Parameters.AddWithValue("id", camera);
        Assert.Equal(1, await cmd.ExecuteNonQueryAsync());
    }

    private static async Task<byte[]> LoadAsync(TestDatabase database, Guid camera) => (await LoadOrNullAsync(database, camera))!;

    private static async Task<byte[]?> LoadOrNullAsync(TestDatabase database, Guid camera)
    {
        await using var db = new NpgsqlConnection(database.ConnectionString);
        await db.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT stream_endpoint FROM cameras WHERE id = @id", db);
        cmd.Parameters.AddWithValue("id", camera);
        return await cmd.ExecuteScalarAsync() as byte[];
    }
}
