using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace PublicSafety.CrisisCapacity.Tests;

[Collection(CrisisCollection.Name)]
public sealed class ReservationTests(CrisisService crisis)
{
    private static readonly string[] Placement = ["crisis.placement"];

    [Fact]
    public async Task TwoHundredConcurrentReservationsForTenFreeBedsGiveTenHoldsAndConflictsNamingAlternatives()
    {
        var full = await crisis.CreateFacilityAsync("KZ-75", 43.25, 76.95, [("women", 12, 2)]);
        var nearby = await crisis.CreateFacilityAsync("KZ-75", 43.26, 76.96, [("women", 5, 0)]);
        using var client = crisis.Client(Placement, "KZ-75");

        var responses = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => CrisisService.ReserveAsync(client, full, "women")));

        Assert.Equal(10, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        var conflicts = responses.Where(r => r.StatusCode == HttpStatusCode.Conflict).ToArray();
        Assert.Equal(190, conflicts.Length);
        foreach (var conflict in conflicts)
        {
            var problem = await CrisisService.ProblemAsync(conflict);
            var alternatives = problem["alternatives"]!.AsArray();
            Assert.Contains(alternatives, a => a!["facilityId"]!.GetValue<Guid>() == nearby);
            Assert.DoesNotContain(alternatives, a => a!["facilityId"]!.GetValue<Guid>() == full);
        }

        var counts = await crisis.AvailabilityAsync(full, "women");
        Assert.Equal(10, counts["reserved"]!.GetValue<int>());
        Assert.Equal(0, counts["available"]!.GetValue<int>());
    }

    [Fact]
    public async Task ARepeatedIdempotencyKeyReturnsTheFirstHold()
    {
        var facility = await crisis.CreateFacilityAsync("KZ-71", 51.16, 71.47, [("men", 3, 0)]);
        using var client = crisis.Client(Placement, "KZ-71");
        var key = Guid.NewGuid().ToString();
        var code = CrisisService.NewCaseCode();

        using var first = await CrisisService.ReserveAsync(client, facility, "men", key: key, caseCode: code);
        using var again = await CrisisService.ReserveAsync(client, facility, "men", key: key, caseCode: code);
        using var otherBody = await CrisisService.ReserveAsync(client, facility, "men", beds: 2, key: key, caseCode: code);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal((await first.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>(),
            (await again.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, otherBody.StatusCode);
        Assert.Equal(1, (await crisis.AvailabilityAsync(facility, "men"))["reserved"]!.GetValue<int>());
    }

    [Fact]
    public async Task ACallerLimitedToAlmatyCannotReserveInAkmola()
    {
        var akmola = await crisis.CreateFacilityAsync("KZ-11", 53.28, 69.39, [("women", 4, 0)]);
        using var almatyOfficer = crisis.Client(Placement, "KZ-75");

        using var response = await CrisisService.ReserveAsync(almatyOfficer, akmola, "women");

        // Akmola's centres do not exist for an Almaty officer without crisis.placement.crossregion (CrossRegionTests).
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(404, (await CrisisService.ProblemAsync(response))["status"]!.GetValue<int>());
        Assert.Equal(0, (await crisis.AvailabilityAsync(akmola, "women"))["reserved"]!.GetValue<int>());
    }

    [Fact]
    public async Task AHoldBecomesAPlacementAndADischargeFreesItsBeds()
    {
        var facility = await crisis.CreateFacilityAsync("KZ-35", 49.8, 73.1, [("women_with_children", 6, 1)]);
        using var client = crisis.Client(Placement, "KZ-35");
        using var hold = await CrisisService.ReserveAsync(client, facility, "women_with_children", beds: 3);
        var reservation = (await hold.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();

        using var tooManyChildren = await client.PostAsJsonAsync($"/api/crisis/reservations/{reservation}/placement", new { childrenAges = new[] { 3, 5, 9 } });
        Assert.Equal(HttpStatusCode.BadRequest, tooManyChildren.StatusCode);

        using var placed = await client.PostAsJsonAsync($"/api/crisis/reservations/{reservation}/placement", new { childrenAges = new[] { 3, 7 } });
        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        var placement = (await placed.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        var counts = await crisis.AvailabilityAsync(facility, "women_with_children");
        Assert.Equal((3, 0, 2), (counts["occupied"]!.GetValue<int>(), counts["reserved"]!.GetValue<int>(), counts["available"]!.GetValue<int>()));

        using var again = await client.PostAsJsonAsync($"/api/crisis/reservations/{reservation}/placement", new { childrenAges = Array.Empty<int>() });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);

        using var discharged = await client.PostAsJsonAsync($"/api/crisis/placements/{placement}/discharge", new { reason = "independent_housing" });
        Assert.Equal(HttpStatusCode.OK, discharged.StatusCode);
        Assert.NotNull((await discharged.Content.ReadFromJsonAsync<JsonObject>())!["lengthOfStayDays"]);
        Assert.Equal(5, (await crisis.AvailabilityAsync(facility, "women_with_children"))["available"]!.GetValue<int>());
    }

    [Fact]
    public async Task AvailabilityEqualsTheSumOfItsPartsAfterARandomMixOfOperations()
    {
        string[] categories = ["women", "men", "detox"];
        var facility = await crisis.CreateFacilityAsync("KZ-55", 52.28, 76.95, [("women", 8, 1), ("men", 5, 0), ("detox", 6, 2)]);
        using var client = crisis.Client(Placement, "KZ-55");
        var random = new Random(20261122);
        var holds = new List<(Guid Id, string Category)>();
        var placements = new List<(Guid Id, string Category)>();

        for (var step = 0; step < 120; step++)
        {
            var category = categories[random.Next(categories.Length)];
            switch (random.Next(4))
            {
                case 0 or 1:
                    using (var r = await CrisisService.ReserveAsync(client, facility, category, beds: 1 + random.Next(2)))
                    {
                        Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, $"reserve gave {r.StatusCode}");
                        if (r.StatusCode == HttpStatusCode.Created)
                        {
                            holds.Add(((await r.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>(), category));
                        }
                    }

                    break;
                case 2 when holds.Count > 0:
                    var hold = holds[random.Next(holds.Count)];
                    holds.Remove(hold);
                    if (random.Next(2) == 0)
                    {
                        using var released = await client.DeleteAsync($"/api/crisis/reservations/{hold.Id}");
                        Assert.Equal(HttpStatusCode.NoContent, released.StatusCode);
                    }
                    else
                    {
                        using var placed = await client.PostAsJsonAsync($"/api/crisis/reservations/{hold.Id}/placement", new { childrenAges = Array.Empty<int>() });
                        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
                        placements.Add(((await placed.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>(), hold.Category));
                    }

                    break;
                case 3 when placements.Count > 0:
                    var placement = placements[random.Next(placements.Count)];
                    placements.Remove(placement);
                    using (var discharged = await client.PostAsJsonAsync($"/api/crisis/placements/{placement.Id}/discharge", new { reason = "returned_home" }))
                    {
                        Assert.Equal(HttpStatusCode.OK, discharged.StatusCode);
                    }

                    break;
            }

            if (step % 10 == 9)
            {
                foreach (var c in categories)
                {
                    var a = await crisis.AvailabilityAsync(facility, c);
                    int Get(string n) => a[n]!.GetValue<int>();
                    Assert.Equal(Get("total") - Get("outOfService") - Get("occupied") - Get("reserved"), Get("available"));
                    Assert.InRange(Get("available"), 0, Get("total"));
                }
            }
        }

        await AssertLedgerMatchesAsync(facility);
    }

    /// <summary>Counts straight from the tables, independent of the view the service reads.</summary>
    private async Task AssertLedgerMatchesAsync(Guid facility)
    {
        await using var connection = new Npgsql.NpgsqlConnection(crisis.Database.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand("""
            SELECT b.category, b.total, b.out_of_service,
                   (SELECT COALESCE(sum(beds), 0) FROM placements p WHERE p.facility_id = b.facility_id AND p.category = b.category AND p.discharged_at IS NULL),
                   (SELECT COALESCE(sum(beds), 0) FROM reservations r WHERE r.facility_id = b.facility_id AND r.category = b.category AND r.status = 'held')
            FROM bed_categories b WHERE b.facility_id = @f
            """, connection);
        cmd.Parameters.AddWithValue("f", facility);
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new List<(string, int, int, long, long)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt64(3), reader.GetInt64(4)));
        }

        foreach (var (category, total, oos, occupied, reserved) in rows)
        {
            var api = await crisis.AvailabilityAsync(facility, category);
            Assert.Equal(occupied, api["occupied"]!.GetValue<int>());
            Assert.Equal(reserved, api["reserved"]!.GetValue<int>());
            Assert.Equal(total - oos - occupied - reserved, api["available"]!.GetValue<int>());
            Assert.True(total - oos - occupied - reserved >= 0, $"{category} is overbooked");
        }
    }
}
