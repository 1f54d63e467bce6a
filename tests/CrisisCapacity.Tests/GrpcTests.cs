using PublicSafety.Contracts.Crisis.V1;
using PublicSafety.DevToken;

namespace PublicSafety.CrisisCapacity.Tests;

[Collection(CrisisCollection.Name)]
public sealed class GrpcTests(CrisisService crisis)
{
    [Fact]
    public async Task FindAvailableBedsRanksFacilitiesWithFreeBedsByDistance()
    {
        // Kostanay: far from the other tests' facilities.
        var near = await crisis.CreateFacilityAsync("KZ-39", 53.214, 63.624, [("minors", 3, 0)]);
        // About 34 km away: clearly farther even on the 5 km grid a crisis.read caller is answered on.
        var far = await crisis.CreateFacilityAsync("KZ-39", 53.45, 63.95, [("minors", 2, 0)]);
        var full = await crisis.CreateFacilityAsync("KZ-39", 53.215, 63.625, [("minors", 1, 1)]);

        var (status, response) = await CallAsync(["crisis.read"], new FindAvailableBedsRequest
        {
            Near = new GeoPoint { Latitude = 53.2145, Longitude = 63.6245 },
            RadiusMeters = 50_000,
            Category = BedCategory.Minors,
        });

        Assert.Equal("0", status);
        var ids = response!.Results.Select(r => Guid.Parse(r.FacilityId)).ToList();
        Assert.Equal([near, far], ids);
        Assert.Equal(3, response.Results[0].Available);
        Assert.True(response.Results[0].DistanceMeters < response.Results[1].DistanceMeters);
        Assert.DoesNotContain(full, ids);
    }

    [Fact]
    public async Task FindAvailableBedsNeedsCrisisReadAndAValidRequest()
    {
        var (denied, _) = await CallAsync(["cameras.read"], new FindAvailableBedsRequest { Region = "KZ-39" });
        var (invalid, _) = await CallAsync(["crisis.read"], new FindAvailableBedsRequest { Region = "KZ-00" });
        var (nowhere, _) = await CallAsync(["crisis.read"], new FindAvailableBedsRequest());

        Assert.Equal("7", denied);   // PERMISSION_DENIED
        Assert.Equal("3", invalid);  // INVALID_ARGUMENT
        Assert.Equal("3", nowhere);
    }

    [Fact]
    public async Task ARegionalCallerFindsOnlyItsOwnRegionsBeds()
    {
        var almaty = await crisis.CreateFacilityAsync("KZ-75", 43.36, 76.86, [("men", 2, 0)]);
        var reader = new TokenRequest { Roles = ["crisis.read"], Region = "KZ-71", Client = "duty-unit", User = "astana-duty" };

        var (nearStatus, near) = await BedAvailabilityCalls.FindAsync(crisis, reader, new FindAvailableBedsRequest
        {
            Near = new GeoPoint { Latitude = 43.36, Longitude = 76.86 },
            RadiusMeters = 50_000,
            MaxResults = 200,
        });
        var (otherRegion, _) = await BedAvailabilityCalls.FindAsync(crisis, reader, new FindAvailableBedsRequest { Region = "KZ-75" });
        var (national, all) = await BedAvailabilityCalls.FindAsync(crisis, reader with { Region = null }, new FindAvailableBedsRequest { Region = "KZ-75", MaxResults = 200 });

        Assert.Equal("0", nearStatus);
        Assert.DoesNotContain(near!.Results, r => r.FacilityId == almaty.ToString());
        Assert.All(near.Results, r => Assert.Equal("KZ-71", r.Region));
        Assert.Equal("7", otherRegion); // PERMISSION_DENIED
        Assert.Equal("0", national);
        Assert.Contains(all!.Results, r => r.FacilityId == almaty.ToString());
    }

    [Fact]
    public async Task ACrisisReadCallerGetsDistancesOnTheGridAndNoFinerRadius()
    {
        var facility = await crisis.CreateFacilityAsync("KZ-10", 50.43, 80.27, [("detox", 2, 0)]);
        var reader = new TokenRequest { Roles = ["crisis.read"], Client = "duty-unit", User = "duty-grid" };

        var (fine, _) = await BedAvailabilityCalls.FindAsync(crisis, reader, new FindAvailableBedsRequest
        {
            Near = new GeoPoint { Latitude = 50.43, Longitude = 80.27 },
            RadiusMeters = 1_000,
        });
        var (status, response) = await BedAvailabilityCalls.FindAsync(crisis, reader, new FindAvailableBedsRequest
        {
            Near = new GeoPoint { Latitude = 50.50, Longitude = 80.35 },
            RadiusMeters = 50_000,
            Category = BedCategory.Detox,
        });

        Assert.Equal("3", fine); // INVALID_ARGUMENT
        Assert.Equal("0", status);
        var distance = response!.Results.Single(r => r.FacilityId == facility.ToString()).DistanceMeters;
        Assert.Equal(0, distance % LocationGridTests.CellMeters);
    }

    private Task<(string Status, FindAvailableBedsResponse? Response)> CallAsync(string[] roles, FindAvailableBedsRequest request) =>
        BedAvailabilityCalls.FindAsync(crisis, new TokenRequest { Roles = roles, Client = "duty-unit", User = "duty-1" }, request);
}
