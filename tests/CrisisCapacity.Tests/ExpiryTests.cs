using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PublicSafety.Testing;

namespace PublicSafety.CrisisCapacity.Tests;

public sealed class ExpiryTests(ShortHoldCrisisService crisis) : IClassFixture<ShortHoldCrisisService>
{
    [Fact]
    public async Task AHoldThatExpiresBeforeItBecomesAPlacementEndsExpiredAndFreesItsBed()
    {
        var facility = await crisis.CreateFacilityAsync("KZ-63", 49.95, 82.6, [("detox", 1, 0)]);
        using var client = crisis.Client(["crisis.placement"], "KZ-63");
        using var hold = await CrisisService.ReserveAsync(client, facility, "detox");
        Assert.Equal(HttpStatusCode.Created, hold.StatusCode);
        var reservation = (await hold.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();

        // Expiry applies on read at once, whether or not the sweeper has run.
        Assert.True(await Eventually.HoldsAsync(async () =>
            (await crisis.AvailabilityAsync(facility, "detox"))["available"]!.GetValue<int>() == 1, TimeSpan.FromSeconds(10)));

        using var placed = await client.PostAsJsonAsync($"/api/crisis/reservations/{reservation}/placement", new { childrenAges = Array.Empty<int>() });
        Assert.Equal(HttpStatusCode.Conflict, placed.StatusCode);
        Assert.Equal("expired", (await CrisisService.ProblemAsync(placed))["reservationStatus"]!.GetValue<string>());

        var status = (await client.GetFromJsonAsync<JsonObject>($"/api/crisis/reservations/{reservation}"))!["status"]!.GetValue<string>();
        Assert.Equal("expired", status);
        var counts = await crisis.AvailabilityAsync(facility, "detox");
        Assert.Equal((0, 0, 1), (counts["occupied"]!.GetValue<int>(), counts["reserved"]!.GetValue<int>(), counts["available"]!.GetValue<int>()));

        // The bed can be held again.
        using var next = await CrisisService.ReserveAsync(client, facility, "detox");
        Assert.Equal(HttpStatusCode.Created, next.StatusCode);
    }

    [Fact]
    public async Task TheSweeperMarksExpiredHolds()
    {
        var facility = await crisis.CreateFacilityAsync("KZ-63", 49.96, 82.61, [("men", 2, 0)]);
        using var client = crisis.Client(["crisis.placement"], "KZ-63");
        using var hold = await CrisisService.ReserveAsync(client, facility, "men");
        var reservation = (await hold.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();

        Assert.True(await Eventually.HoldsAsync(async () =>
        {
            await using var connection = new Npgsql.NpgsqlConnection(crisis.Database.ConnectionString);
            await connection.OpenAsync();
            await using var cmd = new Npgsql.NpgsqlCommand("SELECT status FROM reservations WHERE id = @id", connection);
            cmd.Parameters.AddWithValue("id", reservation);
            return (string?)await cmd.ExecuteScalarAsync() == "expired";
        }, TimeSpan.FromSeconds(15)));
    }

    [Fact]
    public async Task HoldsThatExpireWhileBeingConvertedEndEitherPlacedOrExpiredNeverBoth()
    {
        // Holds last 1 s and the sweeper runs every second: conversions sent around the expiry race both it and the sweeper.
        var facility = await crisis.CreateFacilityAsync("KZ-63", 49.97, 82.62, [("women", 40, 0)]);
        using var client = crisis.Client(["crisis.placement"], "KZ-63");
        var holds = new List<Guid>();
        for (var i = 0; i < 40; i++)
        {
            using var hold = await CrisisService.ReserveAsync(client, facility, "women");
            Assert.Equal(HttpStatusCode.Created, hold.StatusCode);
            holds.Add((await hold.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>());
        }

        var outcomes = await Task.WhenAll(holds.Select(async (id, i) =>
        {
            await Task.Delay(i * 40);
            using var placed = await client.PostAsJsonAsync($"/api/crisis/reservations/{id}/placement", new { childrenAges = Array.Empty<int>() });
            return placed.StatusCode;
        }));

        Assert.All(outcomes, s => Assert.True(s is HttpStatusCode.Created or HttpStatusCode.Conflict, $"conversion gave {s}"));
        await using var connection = new Npgsql.NpgsqlConnection(crisis.Database.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand("""
            SELECT r.status, count(p.id), count(*) FROM reservations r LEFT JOIN placements p ON p.reservation_id = r.id
            WHERE r.facility_id = @f GROUP BY r.status
            """, connection);
        cmd.Parameters.AddWithValue("f", facility);
        var byStatus = new Dictionary<string, (long Placements, long Holds)>();
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                byStatus[reader.GetString(0)] = (reader.GetInt64(1), reader.GetInt64(2));
            }
        }

        var placedCount = outcomes.Count(s => s == HttpStatusCode.Created);
        Assert.Equal((placedCount, placedCount), byStatus.GetValueOrDefault("converted"));
        Assert.Equal(0, byStatus.GetValueOrDefault("expired").Placements);
        Assert.Equal(40 - placedCount, byStatus.GetValueOrDefault("expired").Holds + byStatus.GetValueOrDefault("held").Holds);
        var counts = await crisis.AvailabilityAsync(facility, "women");
        Assert.Equal((placedCount, 0, 40 - placedCount),
            (counts["occupied"]!.GetValue<int>(), counts["reserved"]!.GetValue<int>(), counts["available"]!.GetValue<int>()));
    }
}
