using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace PublicSafety.Cameras.Tests;

public sealed class SchoolSecurityTests(CamerasService cameras) : IClassFixture<CamerasService>
{
    [Fact]
    public async Task ComplianceReportListsSchoolsWhoseSystemsAreMissingOrNotWorkingWithTheReasons()
    {
        using var client = cameras.Client("cameras.manage,cameras.read");
        var school = await CreateSchoolAsync(client, "School No. 1", "working", "posted");
        Assert.Equal(["no cameras"], Problems(await ReportAsync(client, school)));

        var camera = await cameras.CreateAsync(new { kind = "fixed", region = "KZ-55", latitude = 52.28, longitude = 76.95, siteType = "school", status = "installed" });
        Assert.Equal(HttpStatusCode.NoContent, (await client.PutAsync($"/api/cameras/schools/{school}/cameras/{camera.Id}", null)).StatusCode);
        Assert.Equal(["no working camera"], Problems(await ReportAsync(client, school)));

        // Active but never heard from: nothing shows that it works.
        await client.PostAsJsonAsync($"/api/cameras/{camera.Id}/transitions", new { to = "active" });
        Assert.Equal(["no working camera"], Problems(await ReportAsync(client, school)));

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/cameras/heartbeats", new { heartbeats = new[] { new { cameraId = camera.Id } } })).StatusCode);
        Assert.Null(await ReportAsync(client, school)); // compliant: not in the default report
        var all = await client.GetFromJsonAsync<JsonElement[]>("/api/cameras/schools/compliance?all=true&region=KZ-55");
        Assert.True(all!.Single(s => s.GetProperty("id").GetGuid() == school).GetProperty("compliant").GetBoolean());

        Assert.Equal(HttpStatusCode.NoContent,
            (await client.PutAsJsonAsync($"/api/cameras/schools/{school}/equipment", new { panicButton = "faulty", guard = "vacant" })).StatusCode);
        Assert.Equal(["panic button faulty", "guard post vacant"], Problems(await ReportAsync(client, school)));
    }

    [Fact]
    public async Task CameraOfAnotherRegionCannotBeLinkedAndScopedCallersSeeOnlyTheirSchools()
    {
        using var client = cameras.Client("cameras.manage,cameras.read");
        var school = await CreateSchoolAsync(client, "School No. 2", "missing", "missing");
        var elsewhere = await cameras.CreateAsync(CamerasService.NewCamera("KZ-75"));
        Assert.Equal(HttpStatusCode.NotFound, (await client.PutAsync($"/api/cameras/schools/{school}/cameras/{elsewhere.Id}", null)).StatusCode);

        using var scoped = cameras.Client("cameras.read,cameras.manage", region: "KZ-75");
        Assert.DoesNotContain((await scoped.GetFromJsonAsync<JsonElement[]>("/api/cameras/schools/compliance"))!, s => s.GetProperty("id").GetGuid() == school);
        Assert.Equal(HttpStatusCode.NotFound,
            (await scoped.PutAsJsonAsync($"/api/cameras/schools/{school}/equipment", new { panicButton = "working", guard = "posted" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest,
            (await client.PutAsJsonAsync($"/api/cameras/schools/{school}/equipment", new { panicButton = "broken", guard = "posted" })).StatusCode);
    }

    [Fact]
    public async Task SchoolShowsItsPanicButtonGuardAndEachLinkedCameraWithItsStatusAndHealth()
    {
        using var client = cameras.Client("cameras.manage,cameras.read");
        var school = await CreateSchoolAsync(client, "School No. 3", "faulty", "posted");
        var working = await cameras.CreateAsync(new { kind = "fixed", region = "KZ-55", latitude = 52.28, longitude = 76.95, siteType = "school", status = "active" });
        var installed = await cameras.CreateAsync(new { kind = "ptz", region = "KZ-55", latitude = 52.28, longitude = 76.96, siteType = "school", status = "installed" });
        foreach (var camera in new[] { working, installed })
        {
            Assert.Equal(HttpStatusCode.NoContent, (await client.PutAsync($"/api/cameras/schools/{school}/cameras/{camera.Id}", null)).StatusCode);
        }

        await client.PostAsJsonAsync("/api/cameras/heartbeats", new { heartbeats = new[] { new { cameraId = working.Id } } });

        var detail = await client.GetFromJsonAsync<JsonElement>($"/api/cameras/schools/{school}");
        Assert.Equal("School No. 3", detail.GetProperty("name").GetString());
        Assert.Equal("faulty", detail.GetProperty("panicButton").GetString());
        Assert.Equal("posted", detail.GetProperty("guard").GetString());
        Assert.Equal(["panic button faulty"], detail.GetProperty("problems").EnumerateArray().Select(p => p.GetString()));
        var linked = detail.GetProperty("cameras").EnumerateArray().ToDictionary(c => c.GetProperty("id").GetGuid());
        Assert.Equal(2, linked.Count);
        Assert.Equal(("active", "online", true), Camera(linked[working.Id]));
        Assert.Equal(("installed", "unknown", false), Camera(linked[installed.Id]));
    }

    [Fact]
    public async Task UnlinkingACameraTakesItOutOfTheSchoolAndItsCompliance()
    {
        using var client = cameras.Client("cameras.manage,cameras.read");
        var school = await CreateSchoolAsync(client, "School No. 4", "working", "posted");
        var camera = await cameras.CreateAsync(new { kind = "fixed", region = "KZ-55", latitude = 52.28, longitude = 76.95, siteType = "school", status = "active" });
        await client.PutAsync($"/api/cameras/schools/{school}/cameras/{camera.Id}", null);
        await client.PostAsJsonAsync("/api/cameras/heartbeats", new { heartbeats = new[] { new { cameraId = camera.Id } } });
        Assert.Null(await ReportAsync(client, school));

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/cameras/schools/{school}/cameras/{camera.Id}")).StatusCode);
        Assert.Empty((await client.GetFromJsonAsync<JsonElement>($"/api/cameras/schools/{school}")).GetProperty("cameras").EnumerateArray());
        Assert.Equal(["no cameras"], Problems(await ReportAsync(client, school)));
        // The camera itself stays registered.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/cameras/{camera.Id}")).StatusCode);

        // No longer linked, an unknown camera, an unknown school: each a 404 problem.
        await AssertNotFoundProblemAsync(await client.DeleteAsync($"/api/cameras/schools/{school}/cameras/{camera.Id}"));
        await AssertNotFoundProblemAsync(await client.DeleteAsync($"/api/cameras/schools/{school}/cameras/{Guid.NewGuid()}"));
        await AssertNotFoundProblemAsync(await client.DeleteAsync($"/api/cameras/schools/{Guid.NewGuid()}/cameras/{camera.Id}"));
        await AssertNotFoundProblemAsync(await client.GetAsync($"/api/cameras/schools/{Guid.NewGuid()}"));
    }

    [Fact]
    public async Task AnotherRegionsSchoolIsNotFoundToReadOrToUnlinkFrom()
    {
        using var client = cameras.Client("cameras.manage,cameras.read");
        var school = await CreateSchoolAsync(client, "School No. 5", "working", "posted");
        var camera = await cameras.CreateAsync(new { kind = "fixed", region = "KZ-55", latitude = 52.28, longitude = 76.95, status = "active" });
        await client.PutAsync($"/api/cameras/schools/{school}/cameras/{camera.Id}", null);

        using var elsewhere = cameras.Client("cameras.manage,cameras.read", region: "KZ-75");
        await AssertNotFoundProblemAsync(await elsewhere.GetAsync($"/api/cameras/schools/{school}"));
        await AssertNotFoundProblemAsync(await elsewhere.DeleteAsync($"/api/cameras/schools/{school}/cameras/{camera.Id}"));
        using var reader = cameras.Client("cameras.read", region: "KZ-55");
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.DeleteAsync($"/api/cameras/schools/{school}/cameras/{camera.Id}")).StatusCode);

        using var own = cameras.Client("cameras.manage,cameras.read", region: "KZ-55");
        Assert.Single((await own.GetFromJsonAsync<JsonElement>($"/api/cameras/schools/{school}")).GetProperty("cameras").EnumerateArray());
        Assert.Equal(HttpStatusCode.NoContent, (await own.DeleteAsync($"/api/cameras/schools/{school}/cameras/{camera.Id}")).StatusCode);
    }

    private static (string, string, bool) Camera(JsonElement c) =>
        (c.GetProperty("status").GetString()!, c.GetProperty("health").GetString()!, c.GetProperty("working").GetBoolean());

    private static async Task AssertNotFoundProblemAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(404, JsonDocument.Parse(text).RootElement.GetProperty("status").GetInt32());
    }

    private static async Task<Guid> CreateSchoolAsync(HttpClient client, string name, string panicButton, string guard)
    {
        var response = await client.PostAsJsonAsync("/api/cameras/schools", new { name, region = "KZ-55", settlement = "Pavlodar", panicButton, guard });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private static async Task<JsonElement?> ReportAsync(HttpClient client, Guid school) =>
        (await client.GetFromJsonAsync<JsonElement[]>("/api/cameras/schools/compliance?region=KZ-55"))!
        .Cast<JsonElement?>().SingleOrDefault(s => s!.Value.GetProperty("id").GetGuid() == school);

    private static string[] Problems(JsonElement? school) =>
        school!.Value.GetProperty("problems").EnumerateArray().Select(p => p.GetString()!).ToArray();
}
