using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PublicSafety.DevToken;
using PublicSafety.Testing;

namespace PublicSafety.Cameras.Tests;

/// <summary>Installation plan (action plan 14.2: 20.6 thousand a year) against cameras actually installed, nationally and per region.</summary>
public sealed class InstallationPlanTests(CamerasService cameras) : IClassFixture<CamerasService>
{
    private HttpClient As(string roles, string? region = null) =>
        cameras.Service.CreateClient(TestTokens.Create(new TokenRequest { Roles = roles.Split(','), Region = region }));

    private static object Installed(string region, string installedOn, string status = "active", string kind = "fixed") => new
    {
        kind, region, latitude = 43.2, longitude = 76.9, installedOn, status,
    };

    private static JsonElement Row(JsonElement[] rows, int year, string region) =>
        rows.Single(r => r.GetProperty("year").GetInt32() == year && r.GetProperty("region").GetString() == region);

    [Fact]
    public async Task PlanAndActualSideBySideWithThePercentageNationallyAndPerRegion()
    {
        // Fresh database: the concept's national plan is there from the migration.
        using var reader = As("cameras.read");
        var concept = (await reader.GetFromJsonAsync<JsonElement[]>("/api/cameras/coverage/installations"))!;
        Assert.Equal([2024, 2025, 2026, 2027, 2028], concept.Where(r => r.GetProperty("region").GetString() == "KZ").Select(r => r.GetProperty("year").GetInt32()));
        Assert.All(concept, r => Assert.Equal(20600, r.GetProperty("plannedCameras").GetInt32()));
        Assert.Contains("14.2", Row(concept, 2024, "KZ").GetProperty("planSource").GetString());

        for (var i = 0; i < 3; i++) await cameras.CreateAsync(Installed("KZ-75", $"2025-0{i + 3}-15"));
        await cameras.CreateAsync(Installed("KZ-75", "2025-12-31", status: "installed"));
        await cameras.CreateAsync(Installed("KZ-75", "2025-05-01", status: "planned"));                // a target date, not an installation
        await cameras.CreateAsync(Installed("KZ-75", "2025-05-01", kind: "body_worn"));                // 14.6, not carpet coverage
        await cameras.CreateAsync(Installed("KZ-75", "2024-12-31"));
        await cameras.CreateAsync(Installed("KZ-71", "2025-01-01"));
        await cameras.CreateAsync(Installed("KZ-71", "2026-01-01"));

        using var manager = As("cameras.manage");
        Assert.Equal(HttpStatusCode.OK,
            (await manager.PutAsJsonAsync("/api/cameras/coverage/plan/2025/KZ", new { plannedCameras = 10, source = "revised" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created,
            (await manager.PutAsJsonAsync("/api/cameras/coverage/plan/2025/kz-75", new { plannedCameras = 8, source = "akimat order" })).StatusCode);

        var rows = (await reader.GetFromJsonAsync<JsonElement[]>("/api/cameras/coverage/installations?from=2024&to=2026"))!;
        var national2025 = Row(rows, 2025, "KZ");
        Assert.Equal((10, 5L, 50.0, 5L), (national2025.GetProperty("plannedCameras").GetInt32(), national2025.GetProperty("installedCameras").GetInt64(),
            national2025.GetProperty("percentOfPlan").GetDouble(), national2025.GetProperty("remaining").GetInt64()));
        var almaty2025 = Row(rows, 2025, "KZ-75");
        Assert.Equal((8, 4L, 50.0, "akimat order"), (almaty2025.GetProperty("plannedCameras").GetInt32(), almaty2025.GetProperty("installedCameras").GetInt64(),
            almaty2025.GetProperty("percentOfPlan").GetDouble(), almaty2025.GetProperty("planSource").GetString()));
        var astana2025 = Row(rows, 2025, "KZ-71");
        Assert.Equal(1, astana2025.GetProperty("installedCameras").GetInt64());
        Assert.Equal(JsonValueKind.Null, astana2025.GetProperty("plannedCameras").ValueKind);
        Assert.Equal(JsonValueKind.Null, astana2025.GetProperty("percentOfPlan").ValueKind);
        Assert.Equal(1, Row(rows, 2024, "KZ").GetProperty("installedCameras").GetInt64());
        Assert.Equal(0.0, Row(rows, 2024, "KZ").GetProperty("percentOfPlan").GetDouble());
        Assert.Equal(1, Row(rows, 2026, "KZ").GetProperty("installedCameras").GetInt64());
        Assert.DoesNotContain(rows, r => r.GetProperty("year").GetInt32() == 2026 && r.GetProperty("region").GetString() == "KZ-75");

        // A region-scoped caller sees its own region, every year, and nothing national.
        using var almaty = As("cameras.read", region: "KZ-75");
        var own = (await almaty.GetFromJsonAsync<JsonElement[]>("/api/cameras/coverage/installations?from=2024&to=2026"))!;
        Assert.Equal([("KZ-75", 2024), ("KZ-75", 2025), ("KZ-75", 2026)], own.Select(r => (r.GetProperty("region").GetString(), r.GetProperty("year").GetInt32())));
        Assert.Equal(4, Row(own, 2025, "KZ-75").GetProperty("installedCameras").GetInt64());
        Assert.Equal(HttpStatusCode.Forbidden, (await almaty.GetAsync("/api/cameras/coverage/installations?region=KZ-71")).StatusCode);
        Assert.All((await almaty.GetFromJsonAsync<JsonElement[]>("/api/cameras/coverage/plan"))!, p => Assert.Equal("KZ-75", p.GetProperty("region").GetString()));
    }

    [Fact]
    public async Task RegionalManagerSetsOnlyItsOwnRegionsPlanAndDeletingWorks()
    {
        using var regional = As("cameras.manage", region: "KZ-33");
        Assert.Equal(HttpStatusCode.Forbidden, (await regional.PutAsJsonAsync("/api/cameras/coverage/plan/2027/KZ", new { plannedCameras = 1 })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await regional.PutAsJsonAsync("/api/cameras/coverage/plan/2027/KZ-71", new { plannedCameras = 1 })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await regional.PutAsJsonAsync("/api/cameras/coverage/plan/2027/KZ-33", new { plannedCameras = 900 })).StatusCode);

        using var reader = As("cameras.read");
        var plan = (await reader.GetFromJsonAsync<JsonElement[]>("/api/cameras/coverage/plan?from=2027&to=2027&region=KZ-33"))!.Single();
        Assert.Equal(900, plan.GetProperty("plannedCameras").GetInt32());

        Assert.Equal(HttpStatusCode.Forbidden, (await regional.DeleteAsync("/api/cameras/coverage/plan/2027/KZ")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await regional.DeleteAsync("/api/cameras/coverage/plan/2027/KZ-33")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await regional.DeleteAsync("/api/cameras/coverage/plan/2027/KZ-33")).StatusCode);
        using var readerOnly = As("cameras.read");
        Assert.Equal(HttpStatusCode.Forbidden, (await readerOnly.PutAsJsonAsync("/api/cameras/coverage/plan/2027/KZ-33", new { plannedCameras = 1 })).StatusCode);
    }

    [Theory]
    [InlineData("GET", "/api/cameras/coverage/installations?from=1999", null)]
    [InlineData("GET", "/api/cameras/coverage/installations?from=2028&to=2024", null)]
    [InlineData("GET", "/api/cameras/coverage/installations?from=2000&to=2100", null)]
    [InlineData("GET", "/api/cameras/coverage/installations?region=KZ", null)]
    [InlineData("GET", "/api/cameras/coverage/installations?from=abc", null)]
    [InlineData("GET", "/api/cameras/coverage/plan?region=RU-MOW", null)]
    [InlineData("PUT", "/api/cameras/coverage/plan/2025/KZ-75", """{"plannedCameras":-1}""")]
    [InlineData("PUT", "/api/cameras/coverage/plan/2025/KZ-75", """{}""")]
    [InlineData("PUT", "/api/cameras/coverage/plan/2025/KZ-75", """{"plannedCameras":"many"}""")]
    [InlineData("PUT", "/api/cameras/coverage/plan/1800/KZ-75", """{"plannedCameras":1}""")]
    [InlineData("PUT", "/api/cameras/coverage/plan/2025/XX-99", """{"plannedCameras":1}""")]
    [InlineData("DELETE", "/api/cameras/coverage/plan/2025/nowhere", null)]
    public async Task BadInputIsAProblemNeverA5xx(string method, string url, string? body)
    {
        using var client = As("cameras.read,cameras.manage");
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (body is not null) request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
