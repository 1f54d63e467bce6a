using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace PublicSafety.Cameras.Tests;

public sealed class CrimeProneSiteTests(CamerasService cameras) : IClassFixture<CamerasService>
{
    [Fact]
    public async Task SitesAreListedAPageAtATimeWithinTheCallersRegionAndCanBeDeleted()
    {
        using var manager = cameras.Client("cameras.manage,cameras.read");
        var sites = new List<Guid>();
        foreach (var (name, region) in new[] { ("Bazaar", "KZ-35"), ("Station", "KZ-35"), ("Park", "KZ-35"), ("Square", "KZ-71") })
        {
            var response = await manager.PostAsJsonAsync("/api/cameras/coverage/sites", new { name, region, latitude = 49.8, longitude = 73.1 });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            sites.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
        }

        var first = await manager.GetFromJsonAsync<JsonElement>("/api/cameras/coverage/sites?region=KZ-35&pageSize=2");
        var second = await manager.GetFromJsonAsync<JsonElement>("/api/cameras/coverage/sites?region=KZ-35&pageSize=2&page=2");
        Assert.Equal(3, first.GetProperty("total").GetInt64());
        Assert.Equal(["Bazaar", "Park", "Station"], Names(first).Concat(Names(second)));
        var park = first.GetProperty("items")[1];
        Assert.Equal(49.8, park.GetProperty("latitude").GetDouble(), 6);
        Assert.Equal(73.1, park.GetProperty("longitude").GetDouble(), 6);
        Assert.Equal(3, (await manager.GetFromJsonAsync<JsonElement>("/api/cameras/coverage/sites?region=KZ-35&page=9")).GetProperty("total").GetInt64());

        // A regional caller sees its own region's sites; another region asked for is 403, another region's site is 404.
        using var karaganda = cameras.Client("cameras.manage,cameras.read", region: "KZ-35");
        Assert.Equal(["Bazaar", "Park", "Station"], Names(await karaganda.GetFromJsonAsync<JsonElement>("/api/cameras/coverage/sites")));
        Assert.Equal(HttpStatusCode.Forbidden, (await karaganda.GetAsync("/api/cameras/coverage/sites?region=KZ-71")).StatusCode);
        var denied = await karaganda.DeleteAsync($"/api/cameras/coverage/sites/{sites[3]}");
        Assert.Equal(HttpStatusCode.NotFound, denied.StatusCode);
        Assert.Equal("application/problem+json", denied.Content.Headers.ContentType?.MediaType);

        Assert.Equal(HttpStatusCode.NoContent, (await karaganda.DeleteAsync($"/api/cameras/coverage/sites/{sites[0]}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await karaganda.DeleteAsync($"/api/cameras/coverage/sites/{sites[0]}")).StatusCode);
        Assert.Equal(["Park", "Station"], Names(await karaganda.GetFromJsonAsync<JsonElement>("/api/cameras/coverage/sites")));
        Assert.DoesNotContain(await manager.GetFromJsonAsync<JsonElement[]>("/api/cameras/coverage/sites/uncovered?region=KZ-35") ?? [],
            s => s.GetProperty("id").GetGuid() == sites[0]);

        using var reader = cameras.Client("cameras.read");
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.DeleteAsync($"/api/cameras/coverage/sites/{sites[1]}")).StatusCode);
    }

    private static IEnumerable<string> Names(JsonElement page) => page.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("name").GetString()!);
}
