using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace PublicSafety.CrisisCapacity.Tests;

/// <summary>Issue 17 item 2 and the review of every other operation: a caller limited to a region sees and acts in it only.</summary>
[Collection(CrisisCollection.Name)]
public sealed class RegionScopeTests(CrisisService crisis)
{
    [Fact]
    public async Task ARegionalReaderSeesOnlyItsRegionInSearchesTheFeedAndTheAnalytics()
    {
        var almaty = await crisis.CreateFacilityAsync("KZ-75", 43.32, 76.82, [("men", 4, 0)]);
        var astana = await crisis.CreateFacilityAsync("KZ-71", 51.20, 71.50, [("men", 4, 0)]);
        using var reader = crisis.Client(["crisis.read"], "KZ-71", user: "astana-reader");

        var near = await reader.GetStringAsync("/api/crisis/availability?lat=43.32&lon=76.82&radiusKm=50&limit=200");
        var wide = (await reader.GetFromJsonAsync<JsonArray>("/api/crisis/availability?lat=47&lon=74&radiusKm=2000&limit=200"))!;
        var own = await reader.GetStringAsync("/api/crisis/availability?region=KZ-71&limit=200");
        using var other = await reader.GetAsync("/api/crisis/availability?region=KZ-75");
        var feed = await reader.GetStringAsync("/api/crisis/feeds/edxl-have");
        using var otherFeed = await reader.GetAsync("/api/crisis/feeds/edxl-have?region=KZ-75");
        var deficit = (await reader.GetFromJsonAsync<JsonArray>("/api/crisis/analytics/deficit"))!;
        using var facility = await reader.GetAsync($"/api/crisis/facilities/{almaty}");

        Assert.DoesNotContain(almaty.ToString(), near);
        Assert.All(wide, r => Assert.Equal("KZ-71", r!["region"]!.GetValue<string>()));
        Assert.Contains(astana.ToString(), own);
        Assert.DoesNotContain(almaty.ToString(), feed);
        Assert.Contains(astana.ToString(), feed);
        foreach (var response in new[] { other, otherFeed })
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("Outside the caller's region", (await CrisisService.ProblemAsync(response))["title"]!.GetValue<string>());
        }

        Assert.Equal(["KZ-71"], deficit.Select(r => r!["region"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.NotFound, facility.StatusCode);
    }

    [Fact]
    public async Task AnotherRegionsHoldsAndPlacementsDoNotExistForARegionalOfficer()
    {
        var almaty = await crisis.CreateFacilityAsync("KZ-75", 43.34, 76.84, [("women", 4, 0)]);
        using var local = crisis.Client(["crisis.placement"], "KZ-75", user: "almaty-officer");
        using var stranger = crisis.Client(["crisis.placement", "crisis.read"], "KZ-71", user: "astana-officer");
        using var hold = await CrisisService.ReserveAsync(local, almaty, "women");
        var reservation = await CrisisService.IdOfAsync(hold);
        using var admitted = await CrisisService.AdmitAsync(local, almaty, "women");
        var placement = await CrisisService.IdOfAsync(admitted);

        using var readHold = await stranger.GetAsync($"/api/crisis/reservations/{reservation}");
        using var release = await stranger.DeleteAsync($"/api/crisis/reservations/{reservation}");
        using var convert = await stranger.PostAsJsonAsync($"/api/crisis/reservations/{reservation}/placement", new { childrenAges = Array.Empty<int>() });
        using var readPlacement = await stranger.GetAsync($"/api/crisis/placements/{placement}");
        using var discharge = await stranger.PostAsJsonAsync($"/api/crisis/placements/{placement}/discharge", new { reason = "returned_home" });
        using var reserve = await CrisisService.ReserveAsync(stranger, almaty, "women");
        using var admit = await CrisisService.AdmitAsync(stranger, almaty, "women");

        foreach (var response in new[] { readHold, release, convert, readPlacement, discharge, reserve, admit })
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        var counts = await crisis.AvailabilityAsync(almaty, "women");
        Assert.Equal((1, 1, 2), (counts["occupied"]!.GetValue<int>(), counts["reserved"]!.GetValue<int>(), counts["available"]!.GetValue<int>()));
        Assert.Equal(HttpStatusCode.OK, (await local.GetAsync($"/api/crisis/reservations/{reservation}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await local.GetAsync($"/api/crisis/placements/{placement}")).StatusCode);
    }
}
