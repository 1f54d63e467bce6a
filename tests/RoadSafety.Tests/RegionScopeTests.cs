using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace PublicSafety.RoadSafety.Tests;

/// <summary>
/// A caller limited to one region (here Karaganda, KZ-35) against records of another (Pavlodar, KZ-55): ingestion, replays,
/// lists and every operation on one record. Both regions are used by no other test, so lists can be checked whole.
/// </summary>
[Collection(RoadSafetyCollection.Name)]
public sealed class RegionScopeTests(RoadSafetyService service)
{
    private const string Own = "KZ-35";
    private const string Foreign = "KZ-55";
    private static int _spot;

    [Fact]
    public async Task AVendorTokenOfOneRegionCanNotReportForItsDevicesInAnotherRegion()
    {
        var vendor = $"vendor-{Guid.NewGuid():N}";
        var own = await service.VerifiedDeviceAsync(vendor, region: Own, lat: 49.8, lon: 73.1);
        var foreign = await service.VerifiedDeviceAsync(vendor, region: Foreign, lat: 52.3, lon: 76.9);
        var at = DateTimeOffset.UtcNow.AddMinutes(-5);
        using (var national = service.Vendor(vendor))
        {
            Assert.Equal("accepted", RoadSafetyService.Results(await service.PostBatchAsync(national, RoadSafetyService.Speeding(foreign, 1, at)))[0]["status"]!.GetValue<string>());
        }

        var reportedAt = await service.ScalarAsync("SELECT extract(epoch FROM last_report_at)::bigint FROM devices WHERE id = @d", ("d", foreign));
        using var regional = service.Client("roadsafety.ingest", region: Own, client: vendor);
        var results = RoadSafetyService.Results(await service.PostBatchAsync(regional,
            RoadSafetyService.Speeding(foreign, 1, at),                  // a replay of the national token's record
            RoadSafetyService.Speeding(foreign, 2, at.AddSeconds(1)),
            RoadSafetyService.Speeding(own, 1, at)));

        // Out of scope reads exactly like a device that does not exist: no original outcome, no fixation id.
        Assert.All(results[..2], r =>
        {
            Assert.Equal("rejected", r["status"]!.GetValue<string>());
            Assert.Equal("not_your_device", r["reason"]!.GetValue<string>());
            Assert.Null(r["fixationId"]);
            Assert.Null(r["originalStatus"]);
        });
        Assert.Equal("accepted", results[2]["status"]!.GetValue<string>());
        Assert.Equal(1, await service.ScalarAsync("SELECT count(*) FROM fixations WHERE device_id = @d", ("d", foreign)));
        Assert.Equal(1, await service.ScalarAsync("SELECT sum(fixations) FROM device_daily_counts WHERE device_id = @d", ("d", foreign)));
        Assert.Equal(reportedAt, await service.ScalarAsync("SELECT extract(epoch FROM last_report_at)::bigint FROM devices WHERE id = @d", ("d", foreign)));
    }

    [Fact]
    public async Task AnAccidentIdAlreadyUsedInAnotherRegionIsAConflictThatImportsNothingAndShowsNothing()
    {
        var (lat, lon) = NewSpot();
        var taken = $"ext-{Guid.NewGuid():N}";
        using (var national = service.Manager())
        {
            using var first = await national.PostAsJsonAsync("/api/roadsafety/accidents",
                new { accidents = new[] { Accident(taken, Foreign, lat, lon, road: "P-4 Pavlodar - Ekibastuz") } });
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        var fresh = $"ext-{Guid.NewGuid():N}";
        using var regional = service.Manager(Own);
        using var replay = await regional.PostAsJsonAsync("/api/roadsafety/accidents",
            new { accidents = new[] { Accident(fresh, Own, lat, lon), Accident(taken, Own, lat, lon) } });

        Assert.Equal(HttpStatusCode.Conflict, replay.StatusCode);
        var problem = await RoadSafetyService.ProblemAsync(replay);
        Assert.Contains("accidents[1]", problem["detail"]!.GetValue<string>());
        Assert.DoesNotContain("accidents[0]", problem["detail"]!.GetValue<string>());
        Assert.DoesNotContain("Ekibastuz", problem.ToJsonString());
        Assert.DoesNotContain(Foreign, problem.ToJsonString());
        Assert.Equal(0, await service.ScalarAsync("SELECT count(*) FROM accidents WHERE external_id = @e", ("e", fresh)));
        Assert.Equal(1, await service.ScalarAsync("SELECT count(*) FROM accidents WHERE external_id = @e AND region = @r", ("e", taken), ("r", Foreign)));

        // A repeat inside the caller's own region is still a harmless repeat.
        var mine = new { accidents = new[] { Accident(fresh, Own, lat, lon) } };
        Assert.Equal(HttpStatusCode.OK, (await regional.PostAsJsonAsync("/api/roadsafety/accidents", mine)).StatusCode);
        var again = await (await regional.PostAsJsonAsync("/api/roadsafety/accidents", mine)).Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(1, again!["alreadyPresent"]!.GetValue<int>());
    }

    [Fact]
    public async Task AHotspotIsCoveredByADeviceOfAnotherRegionWithoutNamingItToARegionalCaller()
    {
        var spot = NewSpot();
        var vendor = $"vendor-{Guid.NewGuid():N}";
        var device = await service.VerifiedDeviceAsync(vendor, region: Foreign, lat: spot.Lat, lon: spot.Lon);
        var at = DateTimeOffset.UtcNow.AddDays(-3);
        using (var manager = service.Manager(Own))
        {
            using var imported = await manager.PostAsJsonAsync("/api/roadsafety/accidents", new
            {
                accidents = Enumerable.Range(0, 3).Select(i => Accident($"ext-{Guid.NewGuid():N}", Own, spot.Lat + i * 0.001, spot.Lon, at.AddHours(-i))).ToArray(),
            });
            Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        }

        using var regional = service.Reader(Own);
        var seen = Near(await regional.GetFromJsonAsync<JsonObject>("/api/roadsafety/hotspots?limit=500"), spot);
        Assert.True(seen["covered"]!.GetValue<bool>());
        Assert.Null(seen["nearestDeviceId"]);
        Assert.Null(seen["nearestDeviceMeters"]);
        Assert.DoesNotContain(device.ToString(), (await regional.GetStringAsync("/api/roadsafety/hotspots?limit=500")));

        using var national = service.Reader();
        var full = Near(await national.GetFromJsonAsync<JsonObject>($"/api/roadsafety/hotspots?region={Own}&limit=500"), spot);
        Assert.Equal(device, full["nearestDeviceId"]!.GetValue<Guid>());
    }

    [Fact]
    public async Task EveryOperationOnAnotherRegionsDeviceOrSectionIsNotFoundAndNoListShowsThem()
    {
        var vendor = $"vendor-{Guid.NewGuid():N}";
        var mobile = await service.RegisterAsync(RoadSafetyService.NewDevice(vendor, "mobile", region: Foreign));
        var entry = await service.VerifiedDeviceAsync(vendor, "section", Foreign, 52.30, 76.90);
        var exit = await service.VerifiedDeviceAsync(vendor, "section", Foreign, 52.34, 76.92);
        var radar = await service.VerifiedDeviceAsync(vendor, region: Foreign, lat: 52.28, lon: 76.95);
        Guid section;
        using (var national = service.Manager())
        {
            using var created = await national.PostAsJsonAsync("/api/roadsafety/sections",
                new { name = "Pavlodar bypass", entryDeviceId = entry, exitDeviceId = exit, lengthMeters = 5000, speedLimitKmh = 90 });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            section = (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        }

        var at = DateTimeOffset.UtcNow.AddMinutes(-10);
        using (var vendorClient = service.Vendor(vendor))
        {
            var recorded = RoadSafetyService.Results(await service.PostBatchAsync(vendorClient, RoadSafetyService.Speeding(radar, 1, at, "777PVL14", speed: 150, limit: 90)));
            Assert.NotNull(recorded[0]["violationId"]);
        }

        var range = $"from={Uri.EscapeDataString(at.AddHours(-1).ToString("O"))}&to={Uri.EscapeDataString(at.AddHours(1).ToString("O"))}";
        var days = $"from={DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-2)):yyyy-MM-dd}&to={DateOnly.FromDateTime(DateTime.UtcNow):yyyy-MM-dd}";
        using var other = service.Client("roadsafety.manage,roadsafety.read", region: Own);
        var single = new (string Method, string Path, object? Body)[]
        {
            ("GET", $"/api/roadsafety/devices/{entry}", null),
            ("PUT", $"/api/roadsafety/devices/{entry}", RoadSafetyService.NewDevice(vendor, "section", Foreign, 52.30, 76.90, status: null!)),
            ("PUT", $"/api/roadsafety/devices/{entry}", RoadSafetyService.NewDevice(vendor, "section", Own, 52.30, 76.90, status: null!)),
            ("POST", $"/api/roadsafety/devices/{entry}/transitions", new { to = "maintenance" }),
            ("GET", $"/api/roadsafety/devices/{entry}/verifications", null),
            ("POST", $"/api/roadsafety/devices/{entry}/verifications",
                new { certificateNumber = "ПВ-1", verifyingBody = "КазИнМетр", verifiedAt = at, validUntil = at.AddYears(1) }),
            ("GET", $"/api/roadsafety/devices/{mobile}/routes", null),
            ("POST", $"/api/roadsafety/devices/{mobile}/routes", new { road = "A-1", startedAt = at, endedAt = at.AddHours(1) }),
            ("GET", $"/api/roadsafety/fixations?deviceId={entry}&{range}", null),
            ("GET", $"/api/roadsafety/sections/{section}/passages?{range}", null),
            ("GET", $"/api/roadsafety/indicators/devices/{entry}/daily?{days}", null),
            ("GET", $"/api/roadsafety/indicators/devices/{entry}/uptime?{range}", null),
            ("POST", "/api/roadsafety/sections", new { name = "Stolen", entryDeviceId = entry, exitDeviceId = exit, lengthMeters = 5000, speedLimitKmh = 90 }),
        };
        foreach (var (method, path, body) in single)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = body is null ? null : JsonContent.Create(body) };
            using var response = await other.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal(0, await service.ScalarAsync("SELECT count(*) FROM device_verifications WHERE certificate_number = 'ПВ-1' AND device_id = @d", ("d", entry)));
        using (var reader = service.Reader())
        {
            Assert.Equal("active", (await reader.GetFromJsonAsync<JsonObject>($"/api/roadsafety/devices/{entry}"))!["status"]!.GetValue<string>());
        }

        var lists = new[]
        {
            "/api/roadsafety/devices?pageSize=500", $"/api/roadsafety/devices?vendorClientId={vendor}", "/api/roadsafety/sections",
            $"/api/roadsafety/violations?{range}&limit=1000", $"/api/roadsafety/violations?deviceId={radar}&{range}",
            $"/api/roadsafety/accidents?{range}&limit=1000",
            $"/api/roadsafety/indicators/devices/anomalies?day={DateOnly.FromDateTime(DateTime.UtcNow):yyyy-MM-dd}",
        };
        foreach (var path in lists)
        {
            var text = await other.GetStringAsync(path);
            Assert.DoesNotContain(Foreign, text);
            Assert.DoesNotContain(entry.ToString(), text);
            Assert.DoesNotContain(radar.ToString(), text);
            Assert.DoesNotContain("777PVL14", text);
        }

        // Asking for the other region's list by name is refused outright.
        foreach (var path in new[] { $"/api/roadsafety/devices?region={Foreign}", $"/api/roadsafety/sections?region={Foreign}", $"/api/roadsafety/violations?region={Foreign}&{range}" })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync(path)).StatusCode);
        }
    }

    private static (double Lat, double Lon) NewSpot()
    {
        // Karaganda region, in spots 0.1° apart that no other test uses.
        var n = Interlocked.Increment(ref _spot);
        return (48.0 + n * 0.1, 72.0);
    }

    private static JsonObject Near(JsonObject? list, (double Lat, double Lon) spot) => Assert.Single(list!["items"]!.AsArray().Select(i => i!.AsObject()),
        i => Math.Abs(i["latitude"]!.GetValue<double>() - spot.Lat) < 0.02 && Math.Abs(i["longitude"]!.GetValue<double>() - spot.Lon) < 0.02);

    private static object Accident(string id, string region, double lat, double lon, DateTimeOffset? at = null, string road = "M-36") => new
    {
        externalId = id, occurredAt = at ?? DateTimeOffset.UtcNow.AddDays(-2), region, road, latitude = lat, longitude = lon, deaths = 0, injuries = 2,
        cause = "speeding",
    };
}
