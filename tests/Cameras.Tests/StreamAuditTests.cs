using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using PublicSafety.DevToken;
using PublicSafety.Testing;

namespace PublicSafety.Cameras.Tests;

/// <summary>Every read of a stream endpoint is audited before it is answered, and the audit is the region's managers' to read.</summary>
public sealed class StreamAuditTests(CamerasService cameras) : IClassFixture<CamerasService>
{
    private HttpClient Viewer(string? region = null) => cameras.Service.CreateClient(TestTokens.Create(new TokenRequest
    {
        Roles = ["cameras.stream"], Client = "duty-console", User = "officer.abenov", Region = region,
    }));

    [Fact]
    public async Task EachReadIsRecordedWithWhoWhichCameraWhenAndWhyAndOnlyTheRegionsManagersSeeIt()
    {
        var camera = await cameras.CreateAsync(CamerasService.NewCamera("KZ-75"));
        var secret = $"pw-{Guid.NewGuid():N}";
        using (var manager = cameras.Client("cameras.manage"))
        {
            Assert.Equal(HttpStatusCode.NoContent, (await manager.PutAsJsonAsync($"/api/cameras/{camera.Id}/stream", new { url = $"rtsp://v:{secret}@10.9.8.7/live" })).StatusCode);
        }

        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        using var viewer = Viewer();
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"/api/cameras/{camera.Id}/stream?reason=Incident%2042%20at%20the%20gate")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"/api/cameras/{camera.Id}/stream")).StatusCode);
        // Not disclosed, not recorded: another region's viewer, a reason that is not plain text.
        using (var elsewhere = Viewer("KZ-71"))
        {
            Assert.Equal(HttpStatusCode.NotFound, (await elsewhere.GetAsync($"/api/cameras/{camera.Id}/stream")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await viewer.GetAsync($"/api/cameras/{camera.Id}/stream?reason=a%00b")).StatusCode);
        var range = $"from={Uri.EscapeDataString(before.ToString("O"))}&to={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(1).ToString("O"))}";

        using var auditor = cameras.Client("cameras.manage", region: "KZ-75");
        var response = await auditor.GetAsync($"/api/cameras/stream-reads?cameraId={camera.Id}&{range}");
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(secret, text);
        var reads = JsonDocument.Parse(text).RootElement.EnumerateArray().ToArray();
        Assert.Equal(2, reads.Length);
        Assert.All(reads, r =>
        {
            Assert.Equal(camera.Id, r.GetProperty("cameraId").GetGuid());
            Assert.Equal("KZ-75", r.GetProperty("region").GetString());
            Assert.Equal("duty-console", r.GetProperty("clientId").GetString());
            Assert.Equal("officer.abenov", r.GetProperty("user").GetString());
            Assert.InRange(r.GetProperty("readAt").GetDateTimeOffset(), before, DateTimeOffset.UtcNow);
        });
        Assert.Equal("Incident 42 at the gate", reads[0].GetProperty("reason").GetString());
        Assert.Equal(JsonValueKind.Null, reads[1].GetProperty("reason").ValueKind);

        // Paging: the first page's last id is the cursor of the next.
        var first = (await auditor.GetFromJsonAsync<JsonElement>($"/api/cameras/stream-reads?cameraId={camera.Id}&{range}&limit=1")).EnumerateArray().Single();
        var next = await auditor.GetFromJsonAsync<JsonElement>($"/api/cameras/stream-reads?cameraId={camera.Id}&{range}&limit=1&after={first.GetProperty("id").GetGuid()}");
        Assert.Equal(reads[1].GetProperty("id").GetGuid(), next.EnumerateArray().Single().GetProperty("id").GetGuid());

        // Another region's managers see none of it and may not ask; viewers and readers may not read the audit at all.
        using (var astana = cameras.Client("cameras.manage", region: "KZ-71"))
        {
            Assert.Empty((await astana.GetFromJsonAsync<JsonElement>($"/api/cameras/stream-reads?cameraId={camera.Id}&{range}")).EnumerateArray());
            var refused = await astana.GetAsync($"/api/cameras/stream-reads?region=KZ-75&{range}");
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync($"/api/cameras/stream-reads?{range}")).StatusCode);
        using (var reader = cameras.Client("cameras.read"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync($"/api/cameras/stream-reads?{range}")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await auditor.GetAsync("/api/cameras/stream-reads")).StatusCode);

        // The log has an audit event for each read, naming camera, client and audit record, and never the endpoint or the reason.
        var ids = reads.Select(r => r.GetProperty("id").GetGuid().ToString()).ToArray();
        Assert.True(await Eventually.HoldsAsync(async () => ids.All((await ReadSharedAsync(cameras.Service.LogFile)).Contains), TimeSpan.FromSeconds(10)),
            cameras.Service.RecentOutput());
        var log = await ReadSharedAsync(cameras.Service.LogFile);
        Assert.Contains($"Stream endpoint of camera {camera.Id} (KZ-75) disclosed to client duty-console", log);
        Assert.DoesNotContain(secret, log);
        Assert.DoesNotContain("Incident 42", log);
    }

    [Fact]
    public async Task AReadTheAuditCanNotRecordIsNotAnswered()
    {
        var camera = await cameras.CreateAsync(CamerasService.NewCamera("KZ-75"));
        using (var manager = cameras.Client("cameras.manage"))
        {
            await manager.PutAsJsonAsync($"/api/cameras/{camera.Id}/stream", new { url = "rtsp://v:closed@10.9.8.6/live" });
        }

        // A trigger that refuses this camera's audit rows stands in for an audit that fails (disk full, permissions).
        await ExecuteAsync($"""
            CREATE FUNCTION refuse_audit_{camera.Id:N}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN IF NEW.camera_id = '{camera.Id}' THEN RAISE EXCEPTION 'audit unavailable'; END IF; RETURN NEW; END $$;
            CREATE TRIGGER refuse_audit_{camera.Id:N} BEFORE INSERT ON stream_endpoint_reads FOR EACH ROW EXECUTE FUNCTION refuse_audit_{camera.Id:N}();
            """);
        try
        {
            using var viewer = Viewer();
            var response = await viewer.GetAsync($"/api/cameras/{camera.Id}/stream");
            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
            Assert.DoesNotContain("closed@", await response.Content.ReadAsStringAsync());
        }
        finally
        {
            await ExecuteAsync($"DROP TRIGGER refuse_audit_{camera.Id:N} ON stream_endpoint_reads; DROP FUNCTION refuse_audit_{camera.Id:N}();");
        }
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var db = new NpgsqlConnection(cameras.ConnectionString);
        await db.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, db);
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task<string> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }
}
