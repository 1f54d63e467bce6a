using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using PublicSafety.Testing;

namespace PublicSafety.Feedback.Tests;

[Collection(FeedbackCollection.Name)]
public sealed class VenueTests(FeedbackService feedback)
{
    [Fact]
    public async Task VenuesAreRatedByWeighted102SignalsAndTheRatingIsPublishedOncePerHalfYear()
    {
        using var manager = feedback.Client(["feedback.manage"]);
        var calm = await CreateAsync(manager, "Calm cafe");
        var rough = await CreateAsync(manager, "Rough bar");
        var lastHalf = new DateTimeOffset(2025, 9, 10, 23, 0, 0, TimeSpan.Zero);
        // Two brawls and a stabbing at one venue (3 + 3 + 5 = 11 > 10: unsafe), one noise complaint at the other (0.5: safe).
        await SignalAsync(manager, rough, "brawl", lastHalf);
        await SignalAsync(manager, rough, "brawl", lastHalf.AddDays(3));
        var reference = await SignalAsync(manager, rough, "violence", lastHalf.AddDays(9));
        await SignalAsync(manager, calm, "noise", lastHalf);
        // The same call card again is recorded once; a signal from the next half-year doesn't count.
        using (var repeated = await manager.PostAsJsonAsync($"/api/feedback/venues/{rough}/signals",
            new { callReference = reference, signalType = "violence", receivedAt = lastHalf.AddDays(9) }))
        {
            Assert.Equal(HttpStatusCode.OK, repeated.StatusCode);
        }

        await SignalAsync(manager, calm, "violence", new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero));

        var preview = (await manager.GetFromJsonAsync<JsonObject>("/api/feedback/venues/ratings/2025-H2?region=KZ-79"))!;
        var venues = preview["venues"]!.AsArray().ToDictionary(v => v!["venueId"]!.GetValue<Guid>(), v => v!.AsObject());
        Assert.Equal("unsafe", venues[rough]["grade"]!.GetValue<string>());
        Assert.Equal(11, venues[rough]["weightedScore"]!.GetValue<double>());
        Assert.Equal(3, venues[rough]["signals"]!.GetValue<int>());
        Assert.Equal("safe", venues[calm]["grade"]!.GetValue<string>());
        Assert.True(venues[calm]["rankInRegion"]!.GetValue<int>() < venues[rough]["rankInRegion"]!.GetValue<int>());

        using var published = await manager.PostAsync("/api/feedback/venues/ratings/2025-H2/publish", null);
        Assert.True(published.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict);
        using var again = await manager.PostAsync("/api/feedback/venues/ratings/2025-H2/publish", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        using var unfinished = await manager.PostAsync($"/api/feedback/venues/ratings/{DateTimeOffset.UtcNow.Year}-H2/publish", null);
        Assert.Equal(HttpStatusCode.Conflict, unfinished.StatusCode);

        using var citizen = feedback.Anonymous();
        var list = (await citizen.GetFromJsonAsync<JsonObject>("/api/feedback/public/venues?region=KZ-79&period=2025-H2"))!;
        Assert.True(list["published"]!.GetValue<bool>());
        Assert.Contains(list["venues"]!.AsArray(), v => v!["venueId"]!.GetValue<Guid>() == rough && v["grade"]!.GetValue<string>() == "unsafe");
    }

    [Fact]
    public async Task HalfYearsAreCutAtMidnightInKazakhstan()
    {
        using var manager = feedback.Client(["feedback.manage"]);
        var kz = TimeSpan.FromHours(5);
        var newYear = await CreateAsync(manager, "New Year club");
        var midsummer = await CreateAsync(manager, "Midsummer bar");
        // 02:00 on 1 January 2026 in Kazakhstan is still 2025 in UTC; 04:59 on 30 June 2025 is the first half in both.
        await SignalAsync(manager, newYear, "violence", new DateTimeOffset(2026, 1, 1, 2, 0, 0, kz));
        await SignalAsync(manager, midsummer, "violence", new DateTimeOffset(2025, 7, 1, 4, 59, 0, kz));
        await SignalAsync(manager, midsummer, "brawl", new DateTimeOffset(2025, 6, 30, 23, 59, 0, kz));

        async Task<Dictionary<Guid, int>> SignalsIn(string half) =>
            (await manager.GetFromJsonAsync<JsonObject>($"/api/feedback/venues/ratings/{half}?region=KZ-79"))!["venues"]!.AsArray()
            .ToDictionary(v => v!["venueId"]!.GetValue<Guid>(), v => v!["signals"]!.GetValue<int>());

        var (first, second, next) = (await SignalsIn("2025-H1"), await SignalsIn("2025-H2"), await SignalsIn("2026-H1"));
        Assert.Equal((0, 1), (first[newYear], first[midsummer]));
        Assert.Equal((0, 1), (second[newYear], second[midsummer]));
        Assert.Equal((1, 0), (next[newYear], next[midsummer]));
    }

    [Fact]
    public async Task ARetriedVenueRegistrationReturnsTheFirstVenue()
    {
        using var manager = feedback.Client(["feedback.manage"]);
        var key = Guid.NewGuid().ToString();
        var first = await CreateAsync(manager, "Retried karaoke", key);
        var second = await CreateAsync(manager, "Retried karaoke", key, HttpStatusCode.OK);
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task ACallAlreadyLinkedToAnotherVenueIsAConflict()
    {
        using var manager = feedback.Client(["feedback.manage"]);
        var first = await CreateAsync(manager, "Corner bar");
        var second = await CreateAsync(manager, "Night club");
        var at = new DateTimeOffset(2025, 11, 8, 21, 0, 0, TimeSpan.Zero);
        var reference = await SignalAsync(manager, first, "brawl", at);

        using var response = await manager.PostAsJsonAsync($"/api/feedback/venues/{second}/signals", new { callReference = reference, signalType = "brawl", receivedAt = at });
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await FeedbackService.ProblemAsync(response);
        Assert.Equal("Call linked to another venue", problem["title"]!.GetValue<string>());
        Assert.Equal(first, problem["venueId"]!.GetValue<Guid>());
        Assert.Equal(0, await feedback.ScalarAsync("SELECT count(*) FROM venue_signals WHERE venue_id = @v", ("v", second)));

        // The same police system's caller limited to another region is not told which venue holds the call.
        using var regional = feedback.Client(["feedback.manage"], "KZ-75");
        var almaty = await CreateInAsync(regional, "KZ-75");
        using var hidden = await regional.PostAsJsonAsync($"/api/feedback/venues/{almaty}/signals", new { callReference = reference, signalType = "brawl", receivedAt = at });
        Assert.Equal(HttpStatusCode.Conflict, hidden.StatusCode);
        Assert.Null((await FeedbackService.ProblemAsync(hidden))["venueId"]);
    }

    [Fact]
    public async Task ARetryRacingTheFirstRegistrationReturnsTheFirstVenue()
    {
        using var manager = feedback.Client(["feedback.manage"]);
        var key = Guid.NewGuid().ToString();
        var first = Guid.CreateVersion7();
        using var response = await WhileUncommittedAsync("""
            INSERT INTO venues (id, name, kind, region, settlement, address, created_at, client_id, idempotency_key)
            VALUES (@id, 'First lounge', 'bar', 'KZ-79', 'Shymkent', 'Baidibek bi avenue 2', now(), 'police-102', @key)
            """, [("id", first), ("key", key)], () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/feedback/venues")
            {
                Content = JsonContent.Create(new { name = "Retried lounge", kind = "bar", region = "KZ-79", settlement = "Shymkent", address = "Baidibek bi avenue 2" }),
            };
            request.Headers.Add("Idempotency-Key", key);
            return manager.SendAsync(request);
        });

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {body}");
        Assert.Equal(first, JsonNode.Parse(body)!["id"]!.GetValue<Guid>());
        Assert.Equal("First lounge", JsonNode.Parse(body)!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task ASignalRetryRacingTheFirstReturnsTheFirstSignal()
    {
        using var manager = feedback.Client(["feedback.manage"]);
        var venue = await CreateAsync(manager, "Busy karaoke");
        var reference = FeedbackService.NewReference();
        var first = Guid.CreateVersion7();
        var at = new DateTimeOffset(2025, 10, 4, 22, 0, 0, TimeSpan.Zero);
        using var response = await WhileUncommittedAsync("""
            INSERT INTO venue_signals (id, venue_id, source_system, call_reference, signal_type, received_at)
            VALUES (@id, @venue, 'police-102', @ref, 'brawl', @at)
            """, [("id", first), ("venue", venue), ("ref", reference), ("at", at)],
            () => manager.PostAsJsonAsync($"/api/feedback/venues/{venue}/signals", new { callReference = reference, signalType = "brawl", receivedAt = at }));

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {body}");
        Assert.Equal(first, JsonNode.Parse(body)!["id"]!.GetValue<Guid>());
    }

    private static async Task<Guid> CreateAsync(HttpClient manager, string name, string? key = null, HttpStatusCode expected = HttpStatusCode.Created)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/feedback/venues")
        {
            Content = JsonContent.Create(new
            {
                name = FeedbackService.NewName(name), kind = "bar", region = "KZ-79", settlement = "Shymkent", address = "Tauke Khan avenue 1",
                latitude = 42.34, longitude = 69.59,
            }),
        };
        request.Headers.Add("Idempotency-Key", key ?? Guid.NewGuid().ToString());
        using var response = await manager.SendAsync(request);
        Assert.Equal(expected, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
    }

    private static async Task<Guid> CreateInAsync(HttpClient manager, string region)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/feedback/venues")
        {
            Content = JsonContent.Create(new { name = FeedbackService.NewName("Regional bar"), kind = "bar", region, settlement = "Almaty", address = "Abay avenue 1" }),
        };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        using var response = await manager.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
    }

    private static async Task<string> SignalAsync(HttpClient manager, Guid venue, string type, DateTimeOffset at)
    {
        var reference = FeedbackService.NewReference();
        using var response = await manager.PostAsJsonAsync($"/api/feedback/venues/{venue}/signals", new { callReference = reference, signalType = type, receivedAt = at });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return reference;
    }

    /// <summary>
    /// Sends the request while another transaction holds an uncommitted row with the same key, and commits that row once the
    /// request's insert is waiting for it: the request then sees a conflict with a row its own statement's snapshot cannot see.
    /// </summary>
    private async Task<HttpResponseMessage> WhileUncommittedAsync(string insert, (string Name, object Value)[] args, Func<Task<HttpResponseMessage>> send)
    {
        await using var connection = new NpgsqlConnection(feedback.Database.ConnectionString);
        await connection.OpenAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await using (var cmd = new NpgsqlCommand(insert, connection, tx))
        {
            foreach (var (name, value) in args)
            {
                cmd.Parameters.AddWithValue(name, value);
            }

            await cmd.ExecuteNonQueryAsync();
        }

        var sending = send();
        Assert.True(await Eventually.HoldsAsync(async () => await feedback.ScalarAsync(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'") > 0, TimeSpan.FromSeconds(20),
            TimeSpan.FromMilliseconds(20)), "the request never waited for the uncommitted row");
        await tx.CommitAsync();
        return await sending.WaitAsync(TimeSpan.FromSeconds(20));
    }
}
