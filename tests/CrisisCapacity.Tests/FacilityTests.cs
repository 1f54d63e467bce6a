using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace PublicSafety.CrisisCapacity.Tests;

[Collection(CrisisCollection.Name)]
public sealed class FacilityTests(CrisisService crisis)
{
    [Fact]
    public async Task BedsInUseCannotBeEditedAwayAndAFacilityInUseCannotBeDeleted()
    {
        var facility = await crisis.CreateFacilityAsync("KZ-59", 54.87, 69.15, [("women", 3, 0)]);
        using var officer = crisis.Client(["crisis.placement"], "KZ-59");
        using var manager = crisis.Manager();
        using var hold = await CrisisService.ReserveAsync(officer, facility, "women", beds: 2);
        var reservation = (await hold.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();

        using var shrink = await manager.PutAsJsonAsync($"/api/crisis/facilities/{facility}", Body(total: 3, outOfService: 2));
        Assert.Equal(HttpStatusCode.Conflict, shrink.StatusCode);
        Assert.Equal("Beds in use don't fit", (await CrisisService.ProblemAsync(shrink))["title"]!.GetValue<string>());
        using var inUse = await manager.DeleteAsync($"/api/crisis/facilities/{facility}");
        Assert.Equal(HttpStatusCode.Conflict, inUse.StatusCode);

        using var grow = await manager.PutAsJsonAsync($"/api/crisis/facilities/{facility}", Body(total: 6, outOfService: 1));
        Assert.Equal(HttpStatusCode.OK, grow.StatusCode);
        var women = (await crisis.AvailabilityAsync(facility, "women"));
        Assert.Equal((6, 1, 2, 3), (women["total"]!.GetValue<int>(), women["outOfService"]!.GetValue<int>(), women["reserved"]!.GetValue<int>(), women["available"]!.GetValue<int>()));

        Assert.Equal(HttpStatusCode.NoContent, (await officer.DeleteAsync($"/api/crisis/reservations/{reservation}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await manager.DeleteAsync($"/api/crisis/facilities/{facility}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await manager.GetAsync($"/api/crisis/facilities/{facility}")).StatusCode);
    }

    [Fact]
    public async Task OnlyCrisisManageEditsFacilities()
    {
        using var officer = crisis.Client(["crisis.placement", "crisis.read"], "KZ-59");
        using var response = await officer.PostAsJsonAsync("/api/crisis/facilities", Body(total: 1, outOfService: 0));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    private static object Body(int total, int outOfService) => new
    {
        kind = "crisis_centre_ngo",
        name = "Edited centre",
        region = "KZ-59",
        settlement = "Petropavl",
        latitude = 54.87,
        longitude = 69.15,
        confidentialAddress = "Edited address",
        services = new { psychologist = true, lawyer = true, medicalCare = true, acceptsChildren = true, accessible = true },
        openAtNight = false,
        beds = new[] { new { category = "women", total, outOfService } },
    };
}
