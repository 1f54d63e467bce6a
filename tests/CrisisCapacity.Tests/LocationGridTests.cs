using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace PublicSafety.CrisisCapacity.Tests;

/// <summary>
/// Issue 17 item 6: a caller who may not see a centre's address learns its position no finer than the grid cell it lies
/// in (services/CrisisCapacity/README.md, "Location grid"), however it probes.
/// </summary>
[Collection(CrisisCollection.Name)]
public sealed class LocationGridTests(CrisisService crisis)
{
    public const double CellMeters = 5000;
    public const double CellKm = CellMeters / 1000;

    /// <summary>The centre of the grid cell holding a point, as the README defines the grid.</summary>
    public static (double Lat, double Lon) CellCentre(double lat, double lon)
    {
        const double metresPerDegree = 111_320;
        var rowHeight = CellMeters / metresPerDegree;
        var rowLat = (Math.Floor(lat / rowHeight) + 0.5) * rowHeight;
        var columnWidth = CellMeters / (metresPerDegree * Math.Cos(rowLat * Math.PI / 180));
        return (rowLat, (Math.Floor(lon / columnWidth) + 0.5) * columnWidth);
    }

    [Fact]
    public async Task TwoCentresInOneGridCellLookTheSameFromEveryProbeToACallerWhoMayNotSeeTheirAddress()
    {
        // Karaganda region, away from the other tests' centres; both well inside one cell (about 5.0 x 5.0 km).
        var (lat, lon) = CellCentre(49.60, 73.40);
        var a = await crisis.CreateFacilityAsync("KZ-35", lat + 0.012, lon - 0.020, [("detox", 2, 0)]);
        var b = await crisis.CreateFacilityAsync("KZ-35", lat - 0.015, lon + 0.025, [("detox", 2, 0)]);
        using var reader = crisis.Client(["crisis.read"], user: "grid-reader");
        using var placement = crisis.Client(["crisis.read", "crisis.placement"], user: "grid-placement");

        (double Lat, double Lon)[] probes = [(lat + 0.2, lon), (lat, lon + 0.3), (lat - 0.05, lon - 0.08), (lat + 0.01, lon + 0.01)];
        foreach (var (pLat, pLon) in probes)
        {
            foreach (var radius in new[] { 5.0, 7.5, 12.0, 30.0, 60.0 })
            {
                var rows = await SearchAsync(reader, pLat, pLon, radius);
                Assert.Equal(rows.ContainsKey(a), rows.ContainsKey(b));
                if (rows.TryGetValue(a, out var distance))
                {
                    Assert.Equal(distance, rows[b]);
                    Assert.Equal(0, distance % CellKm);
                }
            }
        }

        // A caller who may see the addresses gets distances to 100 m: the two differ.
        var exact = await SearchAsync(placement, lat + 0.2, lon, 60);
        Assert.NotEqual(exact[a], exact[b]);
    }

    [Theory]
    [InlineData("0.001")]
    [InlineData("1")]
    [InlineData("4.99")]
    public async Task ARadiusFinerThanTheGridIsAValidationProblem(string radiusKm)
    {
        using var reader = crisis.Client(["crisis.read"], user: "grid-reader");

        using var response = await reader.GetAsync($"/api/crisis/availability?lat=49.6&lon=73.4&radiusKm={radiusKm}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await CrisisService.ProblemAsync(response))["errors"]!["radiusKm"]);
    }

    private static async Task<Dictionary<Guid, double>> SearchAsync(HttpClient client, double lat, double lon, double radiusKm)
    {
        var url = string.Create(CultureInfo.InvariantCulture, $"/api/crisis/availability?lat={lat}&lon={lon}&radiusKm={radiusKm}&category=detox&limit=200");
        var rows = (await client.GetFromJsonAsync<JsonArray>(url))!;
        return rows.ToDictionary(r => r!["facilityId"]!.GetValue<Guid>(), r => r!["distanceKm"]!.GetValue<double>());
    }
}
