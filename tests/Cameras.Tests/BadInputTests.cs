using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace PublicSafety.Cameras.Tests;

public sealed class BadInputTests(CamerasService cameras) : IClassFixture<CamerasService>
{
    public static TheoryData<string, string, string> BadRequests => new()
    {
        { "POST", "/api/cameras", "" },
        { "POST", "/api/cameras", "{" },
        { "POST", "/api/cameras", "[]" },
        { "POST", "/api/cameras", "{}" },
        { "POST", "/api/cameras", """{"kind":"drone","region":"KZ-75","latitude":43,"longitude":76}""" },
        { "POST", "/api/cameras", """{"kind":"fixed","region":"XX-99","latitude":43,"longitude":76}""" },
        { "POST", "/api/cameras", """{"kind":"fixed","region":"KZ-75","latitude":91,"longitude":76}""" },
        { "POST", "/api/cameras", """{"kind":"fixed","region":"KZ-75","latitude":"north","longitude":76}""" },
        { "POST", "/api/cameras", """{"kind":"fixed","region":"KZ-75","latitude":43,"longitude":76,"status":"decommissioned"}""" },
        { "POST", "/api/cameras", """{"kind":"fixed","region":"KZ-75","latitude":43,"longitude":76,"capabilities":["x-ray"]}""" },
        { "POST", "/api/cameras", """{"kind":"fixed","region":"KZ-75","latitude":43,"longitude":76,"capabilities":[null]}""" },
        { "POST", "/api/cameras", """{"kind":"fixed","region":"KZ-75","latitude":43,"longitude":76,"installedOn":"yesterday"}""" },
        { "POST", "/api/cameras", """{"kind":"fixed","region":"KZ-75","latitude":43,"longitude":76,"installedOn":"1900-01-01"}""" },
        { "POST", "/api/cameras", """{"kind":"fixed","region":"KZ-75","latitude":43,"longitude":76,"owner":"martians"}""" },
        { "POST", "/api/cameras", """{"kind":7,"region":"KZ-75","latitude":43,"longitude":76}""" },
        { "POST", "/api/cameras/heartbeats", """{"heartbeats":[]}""" },
        { "POST", "/api/cameras/heartbeats", """{"heartbeats":[{"observedAt":"2026-01-01T00:00:00Z"}]}""" },
        { "POST", "/api/cameras/heartbeats", """{"heartbeats":[{"cameraId":"not-a-guid"}]}""" },
        { "POST", "/api/cameras/heartbeats", """{"heartbeats":[{"cameraId":"0b6c4a1e-7a44-4c1b-9d55-0d4f1c3a2b11","observedAt":"2999-01-01T00:00:00Z"}]}""" },
        { "POST", $"/api/cameras/{Guid.Empty}/transitions", """{"to":"flying"}""" },
        { "POST", $"/api/cameras/{Guid.Empty}/transitions", "{}" },
        { "PUT", $"/api/cameras/{Guid.Empty}/stream", """{"url":"not a url"}""" },
        { "PUT", $"/api/cameras/{Guid.Empty}", """{"kind":"fixed","region":"KZ-75","latitude":43,"longitude":76,"status":"active"}""" },
        { "GET", "/api/cameras?pageSize=0", "" },
        { "GET", "/api/cameras?pageSize=abc", "" },
        { "GET", "/api/cameras?page=0", "" },
        { "GET", "/api/cameras?status=lost", "" },
        { "GET", "/api/cameras?region=KZ", "" },
        { "GET", "/api/cameras/uptime?from=yesterday&to=2026-01-02T00:00:00Z", "" },
        { "GET", "/api/cameras/coverage/sites?pageSize=0", "" },
        { "GET", "/api/cameras/coverage/sites?pageSize=501", "" },
        { "GET", "/api/cameras/coverage/sites?page=0", "" },
        { "GET", "/api/cameras/coverage/sites?region=XX-99", "" },
        { "GET", "/api/cameras/uptime?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z&limit=0", "" },
        { "GET", "/api/cameras/uptime?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z&limit=10001", "" },
        { "GET", "/api/cameras/uptime?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z&after=not-a-guid", "" },
        { "GET", "/api/cameras/uptime?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z&groupBy=region&limit=10", "" },
        { "GET", "/api/cameras/uptime?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", "" },
        { "GET", "/api/cameras/uptime?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z&groupBy=colour", "" },
        { "GET", "/api/cameras/export?format=xlsx", "" },
        { "GET", "/api/cameras/coverage/sites/uncovered?radiusMeters=-1", "" },
        { "POST", "/api/cameras/coverage/sites", """{"name":"","region":"KZ-75","latitude":43}""" },
        // PostgreSQL text cannot hold NUL, and no single-line field has a use for other control characters.
        { "POST", "/api/cameras", """{"kind":"fixed","region":"KZ-75","latitude":43,"longitude":76,"name":"Gate\u0000"}""" },
        { "POST", "/api/cameras", """{"kind":"fixed","region":"KZ-75","latitude":43,"longitude":76,"address":"Abay\u0007 Ave"}""" },
        { "POST", "/api/cameras", """{"kind":"fixed","region":"KZ-75","latitude":43,"longitude":76,"settlement":"Almaty\n"}""" },
        { "POST", "/api/cameras", """{"kind":"fixed","region":"KZ-75","latitude":43,"longitude":76,"controlCentre":"\u001b[31m"}""" },
        { "POST", "/api/cameras", """{"kind":"fixed","region":"KZ-75","latitude":43,"longitude":76,"name":"Gate \ud800"}""" },
        { "POST", "/api/cameras", """{"kind":"fixed","region":"KZ-75","latitude":1e400,"longitude":76}""" },
        { "PUT", $"/api/cameras/{Guid.Empty}", """{"kind":"fixed","region":"KZ-75","latitude":43,"longitude":76,"name":"\u0000"}""" },
        { "POST", $"/api/cameras/{Guid.Empty}/transitions", """{"to":"active","reason":"broken\u0000"}""" },
        { "GET", "/api/cameras?settlement=Almaty%00", "" },
        { "GET", "/api/cameras?controlCentre=%01", "" },
        { "PUT", "/api/cameras/coverage/settlements/KZ-11/Town%01", """{"population":10}""" }, // Kestrel itself refuses %00 in a path
        { "POST", "/api/cameras/coverage/sites", """{"name":"Market\u0000","region":"KZ-75","latitude":43,"longitude":76}""" },
        { "POST", "/api/cameras/schools", """{"name":"School\u0000","region":"KZ-55","panicButton":"working","guard":"posted"}""" },
        { "POST", "/api/cameras/schools", """{"name":"School","region":"KZ-55","settlement":"\u0000","panicButton":"working","guard":"posted"}""" },
        { "POST", "/api/cameras/schools", """{"name":"School","region":"KZ-55","address":"\t","panicButton":"working","guard":"posted"}""" },
        { "PUT", "/api/cameras/coverage/plan/2030/KZ-75", """{"plannedCameras":10,"source":"decree\u0000"}""" },
        { "POST", "/api/cameras/import?format=csv", "kind,region,latitude,longitude,name\nfixed,KZ-75,43,76,Gate\u0000\n" },
        { "POST", "/api/cameras/import?format=geojson",
            """{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[76,43]},"properties":{"kind":"fixed","region":"KZ-75","name":"\u0000"}}]}""" },
    };

    // Valid JSON that a double or a .NET string cannot hold: a number beyond double's range, an escaped lone surrogate.
    public static TheoryData<string, string> UnrepresentableGeoJson => new()
    {
        { Feature("""{"type":"Point","coordinates":[1e400,43]}""", Fixed), "rows[1].geometry" },
        { Feature("""{"type":"Point","coordinates":[76,-1e400]}""", Fixed), "rows[1].geometry" },
        { Feature("""{"type":"\ud800","coordinates":[76,43]}""", Fixed), "rows[1].geometry" },
        { Feature(Point, """{"kind":"fixed","region":"KZ-75","name":"Gate \ud800"}"""), "rows[1].name" },
        { Feature(Point, """{"kind":"fixed","region":"KZ-75","settlement":"\udc00"}"""), "rows[1].settlement" },
        { Feature(Point, """{"kind":"fixed","region":"KZ-75","capabilities":["night_vision","\ud800"]}"""), "rows[1].capabilities" },
        { """{"type":"FeatureCollection\ud800","features":[]}""", "file" },
    };

    // Times with any UTC offset name an instant; the database stores them in UTC.
    public static TheoryData<string, string, string> OffsetTimes => new()
    {
        { "POST", "/api/cameras/heartbeats", """{"heartbeats":[{"cameraId":"0b6c4a1e-7a44-4c1b-9d55-0d4f1c3a2b11","observedAt":"2026-01-01T10:00:00+05:00"}]}""" },
        { "GET", "/api/cameras/uptime?from=2026-01-01T00:00:00%2B05:00&to=2026-01-02T00:00:00-03:00&groupBy=region", "" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task BadInputIsABadRequestProblem(string method, string path, string body)
    {
        var (response, text) = await SendAsync(method, path, body);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
    }

    [Theory]
    [MemberData(nameof(UnrepresentableGeoJson))]
    public async Task GeoJsonValuesThatNetCannotHoldAreReportedNotAServerError(string body, string field)
    {
        var (response, text) = await SendAsync("POST", "/api/cameras/import?format=geojson", body);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{response.StatusCode}: {text}");
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out var messages), text);
        Assert.NotEmpty(messages.EnumerateArray());
    }

    [Theory]
    [MemberData(nameof(OffsetTimes))]
    public async Task TimesWithAnOffsetAreAccepted(string method, string path, string body)
    {
        var (response, text) = await SendAsync(method, path, body);
        Assert.True(response.IsSuccessStatusCode, $"{response.StatusCode}: {text}");
    }

    [Fact]
    public async Task HeartbeatWithAnOffsetIsStoredAsTheInstantItNames()
    {
        var camera = await cameras.CreateAsync(CamerasService.NewCamera(status: "active"));
        var observed = DateTimeOffset.UtcNow.AddSeconds(-30).ToOffset(TimeSpan.FromHours(5));
        var body = JsonSerializer.Serialize(new { heartbeats = new[] { new { cameraId = camera.Id, observedAt = observed.ToString("yyyy-MM-ddTHH:mm:ss.fffzzz") } } });
        var (response, text) = await SendAsync("POST", "/api/cameras/heartbeats", body);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {text}");

        using var reader = cameras.Client("cameras.read");
        var seen = (await reader.GetFromJsonAsync<CameraDto>($"/api/cameras/{camera.Id}"))!.LastSeenAt;
        Assert.Equal(observed.UtcTicks / TimeSpan.TicksPerMillisecond, seen!.Value.UtcTicks / TimeSpan.TicksPerMillisecond);
    }

    private const string Point = """{"type":"Point","coordinates":[76.9,43.2]}""";

    private const string Fixed = """{"kind":"fixed","region":"KZ-75"}""";

    private static string Feature(string geometry, string properties) =>
        $$"""{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{{geometry}},"properties":{{properties}}}]}""";

    private async Task<(HttpResponseMessage Response, string Text)> SendAsync(string method, string path, string body)
    {
        using var client = cameras.Client("cameras.manage,cameras.read");
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method != "GET")
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        var response = await client.SendAsync(request);
        return (response, await response.Content.ReadAsStringAsync());
    }
}
