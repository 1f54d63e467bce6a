using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using PublicSafety.Testing;

namespace PublicSafety.CrisisCapacity.Tests;

[Collection(CrisisCollection.Name)]
public sealed class EventTests(CrisisService crisis)
{
    [Fact]
    public async Task APlacementRecordsItsEventsInTheOutboxWithoutTheAddressAndTheyArePublished()
    {
        var address = $"Confidential lane {Guid.NewGuid():N}";
        var facility = await crisis.CreateFacilityAsync("KZ-47", 43.65, 51.16, [("women", 2, 0)], address);
        using var client = crisis.Client(["crisis.placement"], "KZ-47");
        var caseCode = CrisisService.NewCaseCode();
        using var hold = await CrisisService.ReserveAsync(client, facility, "women", caseCode: caseCode);
        var reservation = (await hold.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        using var placed = await client.PostAsJsonAsync($"/api/crisis/reservations/{reservation}/placement", new { childrenAges = Array.Empty<int>() });
        var placement = (await placed.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        using var discharged = await client.PostAsJsonAsync($"/api/crisis/placements/{placement}/discharge", new { reason = "programme_completed" });
        Assert.Equal(HttpStatusCode.OK, discharged.StatusCode);

        var events = await OutboxAsync(facility);

        // Create, hold, place, discharge: four availability changes, in order; the placement's start and end.
        Assert.Equal(
            ["BedAvailabilityChanged", "BedAvailabilityChanged", "PlacementStarted", "BedAvailabilityChanged", "PlacementEnded", "BedAvailabilityChanged"],
            events.Select(e => e.Type).ToArray());
        Assert.All(events, e => Assert.DoesNotContain(address, e.Body));
        Assert.Equal([2, 1, 1, 2], events.Where(e => e.Type == "BedAvailabilityChanged").Select(e => JsonNode.Parse(e.Body)!["available"]!.GetValue<int>()).ToArray());
        Assert.Equal(caseCode, JsonNode.Parse(events.Single(e => e.Type == "PlacementStarted").Body)!["caseCode"]!.GetValue<string>());

        // The dispatcher publishes them to RabbitMQ.
        Assert.True(await Eventually.HoldsAsync(async () => (await OutboxAsync(facility)).All(e => e.Sent), TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public async Task SurveyConsentAndTheSafeChannelKindRecordedAtDischargeTravelInPlacementEnded()
    {
        var facility = await crisis.CreateFacilityAsync("KZ-47", 43.65, 51.16, [("women_with_children", 2, 0)]);
        using var client = crisis.Client(["crisis.placement"], "KZ-47");
        var admitted = await AdmitAsync(client, facility, "women_with_children");
        var withoutConsent = await AdmitAsync(client, facility, "women_with_children");

        // A channel without consent, or a contact instead of a kind, is refused and changes nothing.
        using var noConsent = await client.PostAsJsonAsync($"/api/crisis/placements/{admitted}/discharge",
            new { reason = "programme_completed", surveyConsent = false, safeChannel = "sms" });
        Assert.Equal(HttpStatusCode.BadRequest, noConsent.StatusCode);
        Assert.True((await CrisisService.ProblemAsync(noConsent))["errors"]!.AsObject().ContainsKey("safeChannel"));
        using var contact = await client.PostAsJsonAsync($"/api/crisis/placements/{admitted}/discharge",
            new { reason = "programme_completed", surveyConsent = true, safeChannel = "+7 701 123 45 67" });
        Assert.Equal(HttpStatusCode.BadRequest, contact.StatusCode);

        using var discharged = await client.PostAsJsonAsync($"/api/crisis/placements/{admitted}/discharge",
            new { reason = "independent_housing", surveyConsent = true, safeChannel = "messenger" });
        Assert.Equal(HttpStatusCode.OK, discharged.StatusCode);
        var body = (await discharged.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(body["surveyConsent"]!.GetValue<bool>());
        Assert.Equal("messenger", body["safeChannel"]!.GetValue<string>());
        using var plain = await client.PostAsJsonAsync($"/api/crisis/placements/{withoutConsent}/discharge", new { reason = "returned_home" });
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);

        var ended = (await OutboxAsync(facility)).Where(e => e.Type == "PlacementEnded").Select(e => JsonNode.Parse(e.Body)!).ToArray();
        var consented = ended.Single(e => e["placementId"]!.GetValue<Guid>() == admitted);
        Assert.True(consented["surveyConsent"]!.GetValue<bool>());
        Assert.Equal("messenger", consented["safeChannel"]!.GetValue<string>());
        Assert.Equal("women_with_children", consented["category"]!.GetValue<string>());
        Assert.Equal(2, consented["schemaVersion"]!.GetValue<int>());
        var declined = ended.Single(e => e["placementId"]!.GetValue<Guid>() == withoutConsent);
        Assert.False(declined["surveyConsent"]!.GetValue<bool>());
        Assert.Null(declined["safeChannel"]);
    }

    private static async Task<Guid> AdmitAsync(HttpClient client, Guid facility, string category)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/crisis/placements")
        {
            Content = JsonContent.Create(new { facilityId = facility, category, caseCode = CrisisService.NewCaseCode(), childrenAges = Array.Empty<int>() }),
        };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
    }

    private async Task<List<(string Type, string Body, bool Sent)>> OutboxAsync(Guid facility)
    {
        await using var connection = new NpgsqlConnection(crisis.Database.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(
            "SELECT message_type, body::text, sent_at IS NOT NULL FROM outbox_messages WHERE aggregate_key = @k ORDER BY id", connection);
        cmd.Parameters.AddWithValue("k", facility.ToString());
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new List<(string, string, bool)>();
        while (await reader.ReadAsync())
        {
            var type = reader.GetString(0);
            rows.Add((type[(type.LastIndexOf('.', type.IndexOf(',')) + 1)..type.IndexOf(',')], reader.GetString(1), reader.GetBoolean(2)));
        }

        return rows;
    }
}
