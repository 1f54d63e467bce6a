using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace PublicSafety.CrisisCapacity.Tests;

[Collection(CrisisCollection.Name)]
public sealed class AnalyticsTests(CrisisService crisis)
{
    [Fact]
    public async Task DeficitAnalyticsCountRefusedBookingsNotSearchesAndOccupancyPerRegion()
    {
        // Ulytau: no other test uses it.
        var facility = await crisis.CreateFacilityAsync("KZ-62", 47.78, 67.71, [("women", 2, 0)]);
        using var officer = crisis.Client(["crisis.placement"], "KZ-62");
        using var reader = crisis.Client(["crisis.read"]);
        Assert.Equal(HttpStatusCode.Created, (await CrisisService.ReserveAsync(officer, facility, "women", beds: 2)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await CrisisService.ReserveAsync(officer, facility, "women")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await CrisisService.AdmitAsync(officer, facility, "women", [4, 9])).StatusCode);
        // Searches that find nothing are not refusals: anyone with crisis.read could inflate the figures with them.
        for (var i = 0; i < 3; i++)
        {
            Assert.Empty((await reader.GetFromJsonAsync<JsonArray>("/api/crisis/availability?region=KZ-62&category=women&children=2"))!);
        }

        var regions = (await reader.GetFromJsonAsync<JsonArray>("/api/crisis/analytics/deficit?days=7"))!;

        Assert.Equal(20, regions.Count);
        var ulytau = regions.Single(r => r!["region"]!.GetValue<string>() == "KZ-62")!;
        Assert.Equal(1, ulytau["facilities"]!.GetValue<int>());
        Assert.Equal(2, ulytau["turnedAway"]!.GetValue<int>());
        Assert.Equal(4, ulytau["turnedAwayBeds"]!.GetValue<int>());
        Assert.Equal(1, ulytau["bedsShort"]!.GetValue<int>());
        Assert.Equal(1.0, ulytau["occupancyRate"]!.GetValue<double>());
        Assert.Equal("rising", ulytau["trend"]!.GetValue<string>());
        using var bad = await reader.GetAsync("/api/crisis/analytics/deficit?days=0");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }
}
