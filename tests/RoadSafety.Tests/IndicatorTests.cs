using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PublicSafety.ServiceDefaults.Auth;

namespace PublicSafety.RoadSafety.Tests;

[Collection(RoadSafetyCollection.Name)]
public sealed class IndicatorTests(RoadSafetyService service)
{
    [Fact]
    public async Task DeathsPer100000AreComparedWithTheYearsTarget()
    {
        const string Region = "KZ-62";
        using var manager = service.Manager();
        Assert.Equal(HttpStatusCode.NoContent, (await manager.PutAsJsonAsync($"/api/roadsafety/indicators/population/{Region}/2025",
            new { population = 200_000, source = "test figure" })).StatusCode);
        var accidents = Enumerable.Range(0, 25).Select(i => new
        {
            externalId = $"ulytau-2025-{i}", occurredAt = new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero).AddDays(i), region = Region,
            latitude = 47.8 + i * 0.01, longitude = 67.7, deaths = 1, injuries = 0, cause = "speeding",
        }).Append(new
        {
            // 2026-01-01 00:30 in Kazakhstan is still 2025 in UTC: the year is Kazakhstan's.
            externalId = "ulytau-2026-0", occurredAt = new DateTimeOffset(2025, 12, 31, 19, 30, 0, TimeSpan.Zero), region = Region,
            latitude = 47.9, longitude = 67.7, deaths = 3, injuries = 0, cause = "rollover",
        }).ToArray();
        Assert.True((await manager.PostAsJsonAsync("/api/roadsafety/accidents", new { accidents })).IsSuccessStatusCode);

        using var reader = service.Reader(Region);
        var rates = (await reader.GetFromJsonAsync<JsonObject>("/api/roadsafety/indicators/deaths?year=2025"))!;

        var row = Assert.Single(rates["regions"]!.AsArray())!;
        Assert.Equal((25, 200_000, 12.5, 11.7, false),
            (row["deaths"]!.GetValue<int>(), row["population"]!.GetValue<int>(), row["perHundredThousand"]!.GetValue<double>(),
             row["target"]!.GetValue<double>(), row["meetsTarget"]!.GetValue<bool>()));
        // The next year uses the latest population known (2025) until 2026's is set.
        var next = (await reader.GetFromJsonAsync<JsonObject>("/api/roadsafety/indicators/deaths?year=2026"))!["regions"]![0]!;
        Assert.Equal((3, 1.5, true), (next["deaths"]!.GetValue<int>(), next["perHundredThousand"]!.GetValue<double>(), next["meetsTarget"]!.GetValue<bool>()));
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync("/api/roadsafety/indicators/deaths?year=2025&region=KZ-75")).StatusCode);
    }

    [Fact]
    public async Task TheNationalRateWaitsForThePopulationOfEveryRegion()
    {
        // 2010: a year no other test gives populations or accidents for, and every region's population counts.
        const int Year = 2010;
        using var manager = service.Manager();
        async Task SetPopulationAsync(string region) => Assert.Equal(HttpStatusCode.NoContent,
            (await manager.PutAsJsonAsync($"/api/roadsafety/indicators/population/{region}/{Year}", new { population = 1_000_000, source = "test figure" })).StatusCode);
        foreach (var region in Regions.Names.Keys.Where(r => r != "KZ-79")) await SetPopulationAsync(region);
        var accidents = new (string Region, double Lat, double Lon, int Deaths)[] { ("KZ-11", 51.1, 71.4, 10), ("KZ-79", 42.3, 69.6, 20) }.Select(a => new
        {
            externalId = $"national-{Year}-{a.Region}", occurredAt = new DateTimeOffset(Year, 5, 1, 12, 0, 0, TimeSpan.FromHours(5)), region = a.Region,
            latitude = a.Lat, longitude = a.Lon, deaths = a.Deaths, injuries = 0, cause = "speeding",
        }).ToArray();
        Assert.True((await manager.PostAsJsonAsync("/api/roadsafety/accidents", new { accidents })).IsSuccessStatusCode);

        using var reader = service.Reader();
        // Shymkent has no population: the 19 others' rate is not the country's.
        var partial = (await reader.GetFromJsonAsync<JsonObject>($"/api/roadsafety/indicators/deaths?year={Year}"))!;
        Assert.Equal(20, partial["regions"]!.AsArray().Count);
        Assert.Equal(["KZ-79"], partial["missingRegions"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal(30, partial["national"]!["deaths"]!.GetValue<int>());
        Assert.Null(partial["national"]!["population"]);
        Assert.Null(partial["national"]!["perHundredThousand"]);

        await SetPopulationAsync("KZ-79");
        var complete = (await reader.GetFromJsonAsync<JsonObject>($"/api/roadsafety/indicators/deaths?year={Year}"))!;
        Assert.Empty(complete["missingRegions"]!.AsArray());
        Assert.Equal((20_000_000, 0.15), (complete["national"]!["population"]!.GetValue<int>(), complete["national"]!["perHundredThousand"]!.GetValue<double>()));
    }

    [Fact]
    public async Task DeploymentCountsDevicesInServiceAtEachYearsEndAgainstThePlan()
    {
        const string Region = "KZ-59";
        await service.RegisterAsync(new Dictionary<string, object?>(ToDictionary(RoadSafetyService.NewDevice("vendor-plan", region: Region))) { ["commissionedOn"] = "2024-06-01" });
        await service.RegisterAsync(RoadSafetyService.NewDevice("vendor-plan", "mobile", Region));
        var gone = await service.RegisterAsync(new Dictionary<string, object?>(ToDictionary(RoadSafetyService.NewDevice("vendor-plan", region: Region))) { ["commissionedOn"] = "2024-02-01" });
        using (var manager = service.Manager())
        {
            Assert.True((await manager.PostAsJsonAsync($"/api/roadsafety/devices/{gone}/transitions", new { to = "decommissioned", on = "2025-05-01" })).IsSuccessStatusCode);
        }

        using var reader = service.Reader(Region);
        var years = (await reader.GetFromJsonAsync<JsonArray>("/api/roadsafety/indicators/deployment"))!.Select(y => y!.AsObject()).ToArray();
        Assert.Equal([2024, 2025, 2026, 2027, 2028], years.Select(y => y["year"]!.GetValue<int>()));
        Assert.Equal([2, 1, 1, 1, 1], years.Select(y => y["stationaryActual"]!.GetValue<int>()));
        Assert.Equal([0, 0, 1, 1, 1], years.Select(y => y["mobileActual"]!.GetValue<int>()));

        using var national = service.Reader();
        var plan = (await national.GetFromJsonAsync<JsonArray>("/api/roadsafety/indicators/deployment"))!;
        Assert.Equal([1100, 2200, 3300, 4400, 5500], plan.Select(y => y!["stationaryPlanned"]!.GetValue<int>()));
        Assert.All(plan, y => Assert.Equal(62, y!["mobilePlanned"]!.GetValue<int>()));
    }

    private static Dictionary<string, object?> ToDictionary(object o) =>
        o.GetType().GetProperties().ToDictionary(p => p.Name, p => p.GetValue(o));
}
