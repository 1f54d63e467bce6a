using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace PublicSafety.CrisisCapacity.Tests;

/// <summary>
/// Victims are often sheltered away from home: crisis.placement.crossregion lets a placement officer find, hold and place
/// in other regions, never showing the address or exact position of a centre outside the officer's own region.
/// </summary>
[Collection(CrisisCollection.Name)]
public sealed class CrossRegionTests(CrisisService crisis)
{
    private static readonly string[] CrossRegion = ["crisis.read", "crisis.placement", "crisis.placement.crossregion"];

    [Fact]
    public async Task ACrossRegionOfficerFindsHoldsAndPlacesInAnotherRegionWithoutSeeingWhereTheCentreIs()
    {
        var address = $"Almaty quiet lane {Guid.NewGuid():N}";
        var almaty = await crisis.CreateFacilityAsync("KZ-75", 43.33, 76.83, [("women_with_children", 4, 0)], address);
        using var officer = crisis.Client(CrossRegion, "KZ-71", user: "astana-crossregion");

        var found = (await officer.GetFromJsonAsync<JsonArray>("/api/crisis/availability?lat=43.33&lon=76.83&radiusKm=10&category=women_with_children"))!;
        var row = found.Single(r => r!["facilityId"]!.GetValue<Guid>() == almaty)!;
        Assert.Equal(0, row["distanceKm"]!.GetValue<double>() % LocationGridTests.CellKm);
        var facility = await officer.GetStringAsync($"/api/crisis/facilities/{almaty}");
        Assert.DoesNotContain(address, System.Text.RegularExpressions.Regex.Unescape(facility));
        Assert.DoesNotContain("latitude", facility);
        Assert.DoesNotContain("confidentialAddress", facility);

        using var hold = await CrisisService.ReserveAsync(officer, almaty, "women_with_children", beds: 2);
        Assert.Equal(HttpStatusCode.Created, hold.StatusCode);
        var reservation = await CrisisService.IdOfAsync(hold);
        Assert.Equal(HttpStatusCode.OK, (await officer.GetAsync($"/api/crisis/reservations/{reservation}")).StatusCode);
        using var placed = await officer.PostAsJsonAsync($"/api/crisis/reservations/{reservation}/placement", new { childrenAges = new[] { 6 } });
        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        var placement = await CrisisService.IdOfAsync(placed);
        Assert.Equal(HttpStatusCode.OK, (await officer.GetAsync($"/api/crisis/placements/{placement}")).StatusCode);
        using var admitted = await CrisisService.AdmitAsync(officer, almaty, "women_with_children");
        Assert.Equal(HttpStatusCode.Created, admitted.StatusCode);

        // The permission covers the holder's own bookings, not every booking of other regions.
        using var colleague = crisis.Client(CrossRegion, "KZ-71", user: "astana-colleague");
        Assert.Equal(HttpStatusCode.NotFound, (await colleague.GetAsync($"/api/crisis/reservations/{reservation}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await colleague.GetAsync($"/api/crisis/placements/{placement}")).StatusCode);
        // The receiving region's staff see the placement in their centre.
        using var receiving = crisis.Client(["crisis.placement"], "KZ-75", user: "almaty-receiving");
        Assert.Equal(HttpStatusCode.OK, (await receiving.GetAsync($"/api/crisis/placements/{placement}")).StatusCode);
        Assert.Contains(address, System.Text.RegularExpressions.Regex.Unescape(await receiving.GetStringAsync($"/api/crisis/facilities/{almaty}")));
    }

    [Fact]
    public async Task WithoutThePermissionOrWithoutThePlacementRoleTheCallerStaysInItsRegion()
    {
        var almaty = await crisis.CreateFacilityAsync("KZ-75", 43.35, 76.85, [("men", 3, 0)]);
        using var officer = crisis.Client(["crisis.placement", "crisis.read"], "KZ-71", user: "astana-plain");
        using var reader = crisis.Client(["crisis.read", "crisis.placement.crossregion"], "KZ-71", user: "astana-reader-cr");

        foreach (var client in new[] { officer, reader })
        {
            var near = await client.GetStringAsync("/api/crisis/availability?lat=43.35&lon=76.85&radiusKm=20&limit=200");
            Assert.DoesNotContain(almaty.ToString(), near);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/crisis/facilities/{almaty}")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/crisis/availability?region=KZ-75")).StatusCode);
        }

        using var reserve = await CrisisService.ReserveAsync(officer, almaty, "men");
        using var admit = await CrisisService.AdmitAsync(officer, almaty, "men");
        Assert.Equal(HttpStatusCode.NotFound, reserve.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, admit.StatusCode);
        Assert.Equal(0, (await crisis.AvailabilityAsync(almaty, "men"))["reserved"]!.GetValue<int>());
    }

    [Fact]
    public async Task AFullCentresAlternativesComeFromTheRegionsTheCallerMayBookIn()
    {
        var full = await crisis.CreateFacilityAsync("KZ-71", 51.05, 71.60, [("minors", 0, 0)]);
        var sameRegion = await crisis.CreateFacilityAsync("KZ-71", 51.06, 71.61, [("minors", 2, 0)]);
        var otherRegion = await crisis.CreateFacilityAsync("KZ-11", 51.055, 71.605, [("minors", 2, 0)]);
        using var plain = crisis.Client(["crisis.placement"], "KZ-71", user: "astana-alt");
        using var crossing = crisis.Client(CrossRegion, "KZ-71", user: "astana-alt-cr");

        var plainAlternatives = await AlternativesAsync(await CrisisService.ReserveAsync(plain, full, "minors"));
        var crossingAlternatives = await AlternativesAsync(await CrisisService.ReserveAsync(crossing, full, "minors"));

        Assert.Contains(sameRegion, plainAlternatives.Keys);
        Assert.DoesNotContain(otherRegion, plainAlternatives.Keys);
        Assert.Contains(otherRegion, crossingAlternatives.Keys);
        // Outside the officer's region the distance is on the grid; inside it, to 100 m.
        Assert.Equal(0, crossingAlternatives[otherRegion] % LocationGridTests.CellKm);
        Assert.NotEqual(0, plainAlternatives[sameRegion] % LocationGridTests.CellKm);
    }

    private static async Task<Dictionary<Guid, double>> AlternativesAsync(HttpResponseMessage response)
    {
        using (response)
        {
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            return (await CrisisService.ProblemAsync(response))["alternatives"]!.AsArray()
                .ToDictionary(a => a!["facilityId"]!.GetValue<Guid>(), a => a!["distanceKm"]!.GetValue<double>());
        }
    }
}
