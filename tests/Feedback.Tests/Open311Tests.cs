using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace PublicSafety.Feedback.Tests;

[Collection(FeedbackCollection.Name)]
public sealed class Open311Tests(FeedbackService feedback)
{
    private const string Base = "/api/feedback/public/open311/v2";

    [Fact]
    public async Task AnOpen311ClientListsServicesSubmitsARequestAndFollowsItsStatus()
    {
        using var client = feedback.Anonymous();
        var services = (await client.GetFromJsonAsync<JsonArray>($"{Base}/services.json"))!;
        var service = Assert.Single(services)!;
        Assert.Equal("police-conduct", service["service_code"]!.GetValue<string>());
        Assert.True(service["metadata"]!.GetValue<bool>());
        var definition = (await client.GetFromJsonAsync<JsonObject>($"{Base}/services/police-conduct.json"))!;
        var attributes = definition["attributes"]!.AsArray().Select(a => a!["code"]!.GetValue<string>()).ToArray();
        Assert.Equal(["region", "unit", "category", "incident_datetime"], attributes);

        using var submitted = await client.PostAsync($"{Base}/requests.json", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["service_code"] = "police-conduct",
            ["description"] = "Officer refused to register my report.",
            ["attribute[region]"] = "KZ-31",
            ["attribute[unit]"] = "Taraz city police",
            ["attribute[category]"] = "inaction",
            ["attribute[incident_datetime]"] = "2026-10-01T10:00:00+05:00",
            ["email"] = "someone@example.kz",
            ["phone"] = "+77011234567",
            ["lat"] = "42.9",
            ["long"] = "71.37",
        }));
        Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);
        var id = (await submitted.Content.ReadFromJsonAsync<JsonArray>())![0]!["service_request_id"]!.GetValue<string>();
        Assert.Equal(0, await feedback.ScalarAsync("SELECT count(*) FROM complaints WHERE description LIKE '%example.kz%' OR description LIKE '%7011234567%'"));

        var request = (await client.GetFromJsonAsync<JsonArray>($"{Base}/requests/{id}.json"))![0]!;
        Assert.Equal(id, request["service_request_id"]!.GetValue<string>());
        Assert.Equal("open", request["status"]!.GetValue<string>());
        Assert.Single(request["status_history"]!.AsArray());

        using var manager = feedback.Client(["feedback.manage"], "KZ-31");
        var complaints = (await manager.GetFromJsonAsync<JsonArray>("/api/feedback/complaints?limit=200"))!;
        var complaint = complaints.Single(c => c!["referenceCode"]!.GetValue<string>() == id)!;
        Assert.Equal("open311", complaint["source"]!.GetValue<string>());
        using var forwarded = await manager.PostAsJsonAsync($"/api/feedback/complaints/{complaint["id"]}/steps",
            new { action = "forward", reason = "Signs of an offence by an officer" });
        Assert.Equal(HttpStatusCode.OK, forwarded.StatusCode);

        request = (await client.GetFromJsonAsync<JsonArray>($"{Base}/requests/{id}.json"))![0]!;
        Assert.Equal("closed", request["status"]!.GetValue<string>());
        Assert.Contains("prosecutor", request["status_notes"]!.GetValue<string>());
        Assert.Equal(2, request["status_history"]!.AsArray().Count);
    }

    [Fact]
    public async Task AnIncidentTimeWithoutAnOffsetIsKazakhstanTime()
    {
        using var client = feedback.Anonymous();
        var yesterday = DateTimeOffset.UtcNow.AddDays(-1).ToOffset(TimeSpan.FromHours(5));
        async Task<DateTimeOffset> IncidentAtAsync(string incident)
        {
            using var submitted = await client.PostAsync($"{Base}/requests.json", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["service_code"] = "police-conduct",
                ["description"] = "Officer was rude at the checkpoint.",
                ["attribute[region]"] = "KZ-31",
                ["attribute[unit]"] = "Taraz city police",
                ["attribute[category]"] = "rudeness",
                ["attribute[incident_datetime]"] = incident,
            }));
            Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);
            var id = (await submitted.Content.ReadFromJsonAsync<JsonArray>())![0]!["service_request_id"]!.GetValue<string>();
            using var manager = feedback.Client(["feedback.manage"], "KZ-31");
            var complaints = (await manager.GetFromJsonAsync<JsonArray>("/api/feedback/complaints?limit=200"))!;
            return complaints.Single(c => c!["referenceCode"]!.GetValue<string>() == id)!["incidentAt"]!.GetValue<DateTimeOffset>();
        }

        var day = yesterday.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var local = new DateTimeOffset(yesterday.Year, yesterday.Month, yesterday.Day, 10, 0, 0, TimeSpan.FromHours(5));
        Assert.Equal(local, await IncidentAtAsync($"{day}T10:00:00"));
        Assert.Equal(local.AddHours(5), await IncidentAtAsync($"{day}T10:00:00Z"));
        Assert.Equal(local, await IncidentAtAsync($"{day}T08:00:00+03:00"));
    }
}
