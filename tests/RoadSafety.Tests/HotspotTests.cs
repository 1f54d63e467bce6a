using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace PublicSafety.RoadSafety.Tests;

/// <summary>The rule "at least 3 accidents with casualties within 1 km in 12 months", at its boundaries. Each test works in a spot of its own.</summary>
[Collection(RoadSafetyCollection.Name)]
public sealed class HotspotTests(RoadSafetyService service)
{
    private const string Region = "KZ-43";
    private const double MetresPerDegreeLat = 111_120;
    private static int _spot;

    /// <summary>A spot of its own in UTM zone 41 (60°-66° E), 0.2° apart from the others.</summary>
    private static (double Lat, double Lon) NewSpot()
    {
        var n = Interlocked.Increment(ref _spot);
        return (44.0 + n * 0.2, 62.5 + n % 5 * 0.2);
    }

    private static object Accident(double lat, double lon, DateTimeOffset at, int deaths = 0, int injuries = 1, string? id = null, string cause = "speeding") => new
    {
        externalId = id ?? Guid.NewGuid().ToString("N"), occurredAt = at, region = Region, road = "A-17", latitude = lat, longitude = lon, deaths, injuries, cause,
    };

    private async Task ImportAsync(params object[] accidents)
    {
        using var manager = service.Manager();
        using var response = await manager.PostAsJsonAsync("/api/roadsafety/accidents", new { accidents });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<JsonObject[]> SitesNearAsync((double Lat, double Lon) spot, string query = "", string path = "/api/roadsafety/hotspots")
    {
        using var reader = service.Reader();
        var list = await reader.GetFromJsonAsync<JsonObject>($"{path}?region={Region}&limit=100{query}");
        return list!["items"]!.AsArray().Select(i => i!.AsObject())
            .Where(i => Math.Abs(i["latitude"]!.GetValue<double>() - spot.Lat) < 0.05 && Math.Abs(i["longitude"]!.GetValue<double>() - spot.Lon) < 0.05).ToArray();
    }

    /// <summary>Accidents on a line northwards, <paramref name="spacing"/> metres apart.</summary>
    private static object[] Line((double Lat, double Lon) spot, double spacing, int count, DateTimeOffset at, int deaths = 0, int injuries = 1) =>
        Enumerable.Range(0, count).Select(i => Accident(spot.Lat + i * spacing / MetresPerDegreeLat, spot.Lon, at.AddDays(-i), deaths, injuries)).ToArray();

    [Fact]
    public async Task ThreeAccidentsWithCasualtiesWithinTheDistanceAreASiteAndJustBeyondItAreNot()
    {
        var near = NewSpot();
        var far = NewSpot();
        var at = DateTimeOffset.UtcNow.AddDays(-10);
        await ImportAsync([.. Line(near, 990, 3, at), .. Line(far, 1010, 3, at)]);

        var site = Assert.Single(await SitesNearAsync(near));
        Assert.Equal(3, site["accidents"]!.GetValue<int>());
        Assert.Equal("A-17", site["road"]!.GetValue<string>());
        Assert.Empty(await SitesNearAsync(far));
    }

    [Fact]
    public async Task AChainOfAccidentsAlongARoadIsSplitIntoSitesWithinTheDistanceOfTheirCentres()
    {
        // Six accidents 900 m apart (4.5 km of road): DBSCAN chains them into one cluster, which must not be one site.
        var spot = NewSpot();
        await ImportAsync(Line(spot, 900, 6, DateTimeOffset.UtcNow.AddDays(-7)));

        var sites = await SitesNearAsync(spot);
        Assert.Equal([3, 3], sites.Select(s => s["accidents"]!.GetValue<int>()));
        Assert.All(sites, s => Assert.InRange(s["radiusMeters"]!.GetValue<double>(), 0, 1000));
    }

    [Fact]
    public async Task TwoAccidentsOrAccidentsWithoutCasualtiesAreNotASite()
    {
        var two = NewSpot();
        var damageOnly = NewSpot();
        var at = DateTimeOffset.UtcNow.AddDays(-5);
        await ImportAsync([.. Line(two, 100, 2, at), .. Line(damageOnly, 100, 2, at), Accident(damageOnly.Lat + 0.0005, damageOnly.Lon, at, injuries: 0)]);

        Assert.Empty(await SitesNearAsync(two));
        Assert.Empty(await SitesNearAsync(damageOnly));
        // The same spots with a lower threshold.
        Assert.Single(await SitesNearAsync(two, "&minAccidents=2"));
    }

    [Fact]
    public async Task OnlyTheLastMonthsCount()
    {
        var spot = NewSpot();
        var now = DateTimeOffset.UtcNow;
        await ImportAsync(Accident(spot.Lat, spot.Lon, now.AddMonths(-1)), Accident(spot.Lat + 0.001, spot.Lon, now.AddMonths(-2)),
            Accident(spot.Lat + 0.002, spot.Lon, now.AddMonths(-13)));

        Assert.Empty(await SitesNearAsync(spot));
        Assert.Single(await SitesNearAsync(spot, "&months=14"));
        var asOf = Uri.EscapeDataString(now.AddMonths(-1).AddDays(-1).ToString("O"));
        Assert.Empty(await SitesNearAsync(spot, $"&months=14&asOf={asOf}"));
    }

    [Fact]
    public async Task TheWindowExcludesTheInstantTwelveMonthsBeforeAsOfAndIncludesASecondLaterAndAsOfItself()
    {
        var atTheStart = NewSpot();
        var secondLater = NewSpot();
        var asOf = new DateTimeOffset(DateTime.UtcNow.AddDays(-1).Ticks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, TimeSpan.Zero);
        var start = asOf.AddMonths(-12);
        await ImportAsync(
            Accident(atTheStart.Lat, atTheStart.Lon, asOf), Accident(atTheStart.Lat + 0.001, atTheStart.Lon, asOf.AddMonths(-2)),
            Accident(atTheStart.Lat + 0.002, atTheStart.Lon, start),
            Accident(secondLater.Lat, secondLater.Lon, asOf), Accident(secondLater.Lat + 0.001, secondLater.Lon, asOf.AddMonths(-2)),
            Accident(secondLater.Lat + 0.002, secondLater.Lon, start.AddSeconds(1)));

        var query = $"&asOf={Uri.EscapeDataString(asOf.ToString("O"))}";
        Assert.Empty(await SitesNearAsync(atTheStart, query));
        var site = Assert.Single(await SitesNearAsync(secondLater, query));
        Assert.Equal(3, site["accidents"]!.GetValue<int>());
        Assert.Equal(start.AddSeconds(1), site["firstAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(asOf, site["lastAt"]!.GetValue<DateTimeOffset>());
    }

    [Fact]
    public async Task SitesAreRankedByHarmWithDeathsWeightedOverInjuries()
    {
        var deadly = NewSpot();
        var injuring = NewSpot();
        var at = DateTimeOffset.UtcNow.AddDays(-20);
        // 1 death and 2 injuries (harm 12) against 9 injuries (harm 9).
        await ImportAsync([.. Line(deadly, 200, 3, at, deaths: 0, injuries: 1), Accident(deadly.Lat + 0.0001, deadly.Lon, at, deaths: 1, injuries: 0),
            .. Line(injuring, 200, 3, at, injuries: 3)]);

        using var reader = service.Reader();
        var list = (await reader.GetFromJsonAsync<JsonObject>($"/api/roadsafety/hotspots?region={Region}&limit=500"))!["items"]!.AsArray()
            .Select(i => i!.AsObject()).ToArray();
        var a = list.Single(i => Math.Abs(i["latitude"]!.GetValue<double>() - deadly.Lat) < 0.05);
        var b = list.Single(i => Math.Abs(i["latitude"]!.GetValue<double>() - injuring.Lat) < 0.05);
        Assert.Equal(13, a["harm"]!.GetValue<double>());
        Assert.Equal(9, b["harm"]!.GetValue<double>());
        Assert.True(a["rank"]!.GetValue<int>() < b["rank"]!.GetValue<int>());
    }

    [Fact]
    public async Task ASiteIsCoveredOnlyByAnActiveVerifiedDeviceWithinTheDistance()
    {
        var covered = NewSpot();
        var unverified = NewSpot();
        var at = DateTimeOffset.UtcNow.AddDays(-3);
        await ImportAsync([.. Line(covered, 100, 3, at), .. Line(unverified, 100, 3, at)]);
        var vendor = $"vendor-{Guid.NewGuid():N}";
        await service.VerifiedDeviceAsync(vendor, region: Region, lat: covered.Lat + 900 / MetresPerDegreeLat, lon: covered.Lon);
        await service.RegisterAsync(RoadSafetyService.NewDevice(vendor, region: Region, lat: unverified.Lat, lon: unverified.Lon));

        Assert.True(Assert.Single(await SitesNearAsync(covered))["covered"]!.GetValue<bool>());
        Assert.False(Assert.Single(await SitesNearAsync(unverified))["covered"]!.GetValue<bool>());
        Assert.Empty(await SitesNearAsync(covered, path: "/api/roadsafety/hotspots/uncovered"));
        Assert.Single(await SitesNearAsync(unverified, path: "/api/roadsafety/hotspots/uncovered"));
        // Closer coverage distance: the device 800-1000 m away no longer covers the site.
        Assert.Single(await SitesNearAsync(covered, "&coverageMeters=500", "/api/roadsafety/hotspots/uncovered"));
    }

    /// <summary>Three accidents 100 m apart northwards with the given causes.</summary>
    private static object[] Causing((double Lat, double Lon) spot, DateTimeOffset at, params string[] causes) =>
        causes.Select((c, i) => Accident(spot.Lat + i * 100 / MetresPerDegreeLat, spot.Lon, at, cause: c)).ToArray();

    private Task<Guid> DeviceNearAsync((double Lat, double Lon) spot, string kind, string? vendor = null) =>
        service.VerifiedDeviceAsync(vendor ?? $"vendor-{Guid.NewGuid():N}", kind, Region, spot.Lat + 300 / MetresPerDegreeLat, spot.Lon);

    private async Task<JsonObject> SiteAsync((double Lat, double Lon) spot) => Assert.Single(await SitesNearAsync(spot));

    [Fact]
    public async Task ASpeedingSiteIsCoveredOnlyByADeviceThatMeasuresSpeed()
    {
        var spot = NewSpot();
        await ImportAsync(Causing(spot, DateTimeOffset.UtcNow.AddDays(-4), "speeding", "speeding", "other"));
        // A lane camera, a red-light camera and a section device that is no section's end witness no speeding there.
        await DeviceNearAsync(spot, "lane");
        await DeviceNearAsync(spot, "red_light");
        await DeviceNearAsync(spot, "section");

        var site = await SiteAsync(spot);
        Assert.Equal("speeding", site["dominantCause"]!.GetValue<string>());
        Assert.Equal(["instant_speed", "section"], site["coveringKinds"]!.AsArray().Select(k => k!.GetValue<string>()));
        Assert.False(site["covered"]!.GetValue<bool>());
        Assert.Single(await SitesNearAsync(spot, path: "/api/roadsafety/hotspots/uncovered"));

        var speed = await DeviceNearAsync(spot, "instant_speed");
        site = await SiteAsync(spot);
        Assert.True(site["covered"]!.GetValue<bool>());
        Assert.Equal(speed, site["nearestDeviceId"]!.GetValue<Guid>());
    }

    [Fact]
    public async Task AnAverageSpeedSectionsEndCoversASpeedingSite()
    {
        var spot = NewSpot();
        await ImportAsync(Causing(spot, DateTimeOffset.UtcNow.AddDays(-4), "speeding", "speeding", "speeding"));
        var vendor = $"vendor-{Guid.NewGuid():N}";
        var entry = await DeviceNearAsync(spot, "section", vendor);
        var exit = await service.VerifiedDeviceAsync(vendor, "section", Region, spot.Lat + 0.05, spot.Lon);
        Assert.False((await SiteAsync(spot))["covered"]!.GetValue<bool>());

        using var manager = service.Manager();
        using var created = await manager.PostAsJsonAsync("/api/roadsafety/sections", new
        {
            name = "A-17 km 10-15", entryDeviceId = entry, exitDeviceId = exit, lengthMeters = 5500, speedLimitKmh = 90, maxTravelSeconds = 900,
        });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        var site = await SiteAsync(spot);
        Assert.True(site["covered"]!.GetValue<bool>());
        Assert.Equal(entry, site["nearestDeviceId"]!.GetValue<Guid>());
    }

    [Fact]
    public async Task ARedLightSiteIsCoveredByRedLightOrStopLineDevicesNotBySpeedDevices()
    {
        var redLight = NewSpot();
        var stopLine = NewSpot();
        var at = DateTimeOffset.UtcNow.AddDays(-6);
        await ImportAsync([.. Causing(redLight, at, "red_light", "red_light", "pedestrian"), .. Causing(stopLine, at, "red_light", "red_light", "red_light")]);
        await DeviceNearAsync(redLight, "instant_speed");
        await DeviceNearAsync(stopLine, "stop_line");

        var uncovered = await SiteAsync(redLight);
        Assert.Equal("red_light", uncovered["dominantCause"]!.GetValue<string>());
        Assert.Equal(["red_light", "stop_line"], uncovered["coveringKinds"]!.AsArray().Select(k => k!.GetValue<string>()));
        Assert.False(uncovered["covered"]!.GetValue<bool>());
        Assert.True((await SiteAsync(stopLine))["covered"]!.GetValue<bool>());

        await DeviceNearAsync(redLight, "red_light");
        Assert.True((await SiteAsync(redLight))["covered"]!.GetValue<bool>());
    }

    [Fact]
    public async Task ASiteOfMixedOrUnmappedCausesIsCoveredByAnyDevice()
    {
        var mixed = NewSpot();
        var unmapped = NewSpot();
        var at = DateTimeOffset.UtcNow.AddDays(-8);
        // No cause of more than half the accidents; and a cause (overtaking) no kind of device answers in particular.
        await ImportAsync([.. Causing(mixed, at, "speeding", "red_light", "other"), .. Causing(unmapped, at, "overtaking", "overtaking", "speeding")]);
        await DeviceNearAsync(mixed, "lane");
        await DeviceNearAsync(unmapped, "lane");

        var site = await SiteAsync(mixed);
        Assert.Null(site["dominantCause"]);
        Assert.Null(site["coveringKinds"]);
        Assert.True(site["covered"]!.GetValue<bool>());
        site = await SiteAsync(unmapped);
        Assert.Equal("overtaking", site["dominantCause"]!.GetValue<string>());
        Assert.Null(site["coveringKinds"]);
        Assert.True(site["covered"]!.GetValue<bool>());
    }

    [Fact]
    public async Task WhenCamerasIsUnavailableSitesAreStillReturnedAndSaySo()
    {
        var spot = NewSpot();
        await ImportAsync(Line(spot, 100, 3, DateTimeOffset.UtcNow.AddDays(-1)));

        var site = Assert.Single(await SitesNearAsync(spot, "&cameras=true"));
        Assert.Equal("unavailable", site["cameras"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task ARegionalReaderSeesOnlyItsRegionsSites()
    {
        using var other = service.Reader("KZ-75");
        using var response = await other.GetAsync($"/api/roadsafety/hotspots?region={Region}");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var list = await other.GetFromJsonAsync<JsonObject>("/api/roadsafety/hotspots?limit=500");
        Assert.All(list!["items"]!.AsArray(), i => Assert.Equal("KZ-75", i!["region"]!.GetValue<string>()));
    }
}
