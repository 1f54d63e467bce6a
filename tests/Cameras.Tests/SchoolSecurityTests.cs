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
