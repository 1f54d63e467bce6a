using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace PublicSafety.Cameras.Tests;

public sealed class CoverageTests(CamerasService cameras) : IClassFixture<CamerasService>
{
    [Fact]
    public async Task SettlementCoverageCountsActiveCamerasPer100ResidentsAgainstFifteen()
    {
        var town = $"Village-{Guid.NewGuid():N}";
        using var client = cameras.Client("cameras.manage,cameras.read");
        Assert.Equal(HttpStatusCode.NoContent, (await client.PutAsJsonAsync($"/api/cameras/coverage/settlements/KZ-11/{town}", new { population = 40 })).StatusCode);
        for (var i = 0; i < 5; i++)
        {
            await cameras.CreateAsync(new { kind = "fixed", region = "KZ-11", latitude = 51.0, longitude = 71.0, settlement = town, status = "active" });
        }

        await cameras.CreateAsync(new { kind = "fixed", region = "KZ-11", latitude = 51.0, longitude = 71.0, settlement = town, status = "planned" });
        var row = await RowAsync(client, town);
        Assert.Equal(5, row.GetProperty("activeCameras").GetInt64());
        Assert.Equal(12.5, row.GetProperty("camerasPer100Residents").GetDouble());
        Assert.Equal(6, row.GetProperty("requiredCameras").GetInt64());
        Assert.Equal(1, row.GetProperty("shortfall").GetInt64());
        Assert.False(row.GetProperty("meetsTarget").GetBoolean());

        await cameras.CreateAsync(new { kind = "fixed", region = "KZ-11", latitude = 51.0, longitude = 71.0, settlement = town, status = "active" });
        Assert.True((await RowAsync(client, town)).GetProperty("meetsTarget").GetBoolean());

        using var elsewhere = cameras.Client("cameras.read", region: "KZ-75");
        Assert.DoesNotContain((await elsewhere.GetFromJsonAsync<JsonElement[]>("/api/cameras/coverage/settlements"))!,
            s => s.GetProperty("settlement").GetString() == town);
        Assert.Equal(HttpStatusCode.BadRequest,
            (await client.PutAsJsonAsync($"/api/cameras/coverage/settlements/KZ-11/{town}", new { population = 0 })).StatusCode);
    }

    [Fact]
    public async Task CrimeProneSiteIsUncoveredUnlessAnActiveCameraIsWithinTheRadius()
    {
        using var client = cameras.Client("cameras.manage,cameras.read");
        var covered = await AddSiteAsync(client, "Market", 47.1000, 51.9000);
        var planned = await AddSiteAsync(client, "Bus station", 47.2000, 51.9000);
        await cameras.CreateAsync(new { kind = "fixed", region = "KZ-23", latitude = 47.1009, longitude = 51.9000, status = "active" }); // ~100 m
        await cameras.CreateAsync(new { kind = "fixed", region = "KZ-23", latitude = 47.2001, longitude = 51.9000, status = "planned" });

        var uncovered = (await client.GetFromJsonAsync<JsonElement[]>("/api/cameras/coverage/sites/uncovered?region=KZ-23"))!
            .Select(s => s.GetProperty("id").GetGuid()).ToArray();
        Assert.Contains(planned, uncovered);
        Assert.DoesNotContain(covered, uncovered);

        var narrow = (await client.GetFromJsonAsync<JsonElement[]>("/api/cameras/coverage/sites/uncovered?region=KZ-23&radiusMeters=50"))!
            .Select(s => s.GetProperty("id").GetGuid()).ToArray();
        Assert.Contains(covered, narrow);
    }

    [Fact]
    public async Task BodyWornCamerasAreNotCoverage()
    {
        var town = $"Village-{Guid.NewGuid():N}";
        using var client = cameras.Client("cameras.manage,cameras.read");
        Assert.Equal(HttpStatusCode.NoContent, (await client.PutAsJsonAsync($"/api/cameras/coverage/settlements/KZ-11/{town}", new { population = 10 })).StatusCode);
        var site = await AddSiteAsync(client, "Night market", 47.3000, 51.9000);
        await cameras.CreateAsync(new { kind = "body_worn", region = "KZ-11", latitude = 51.0, longitude = 71.0, settlement = town, status = "active" });
        await cameras.CreateAsync(new { kind = "body_worn", region = "KZ-23", latitude = 47.3001, longitude = 51.9000, status = "active" });

        Assert.Equal(0, (await RowAsync(client, town)).GetProperty("activeCameras").GetInt64());
        var uncovered = (await client.GetFromJsonAsync<JsonElement[]>("/api/cameras/coverage/sites/uncovered?region=KZ-23"))!;
        Assert.Contains(uncovered, s => s.GetProperty("id").GetGuid() == site);
    }

    private static async Task<Guid> AddSiteAsync(HttpClient client, string name, double lat, double lon)
    {
        var response = await client.PostAsJsonAsync("/api/cameras/coverage/sites", new { name, region = "KZ-23", latitude = lat, longitude = lon });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private static async Task<JsonElement> RowAsync(HttpClient client, string town) =>
        (await client.GetFromJsonAsync<JsonElement[]>("/api/cameras/coverage/settlements?region=KZ-11"))!
        .Single(s => s.GetProperty("settlement").GetString() == town);
}
