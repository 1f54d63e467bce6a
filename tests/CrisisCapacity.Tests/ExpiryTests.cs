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
}
