using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace PublicSafety.Feedback.Tests;

[Collection(FeedbackCollection.Name)]
public sealed class ScopeTests(FeedbackService feedback)
{
    [Fact]
    public async Task AnAnalystOfOneRegionCantReadAnothersDataByGuessingIds()
    {
        var interaction = await feedback.RegisterAsync("KZ-11", "Kokshetau police");
        var interactionId = interaction["id"]!.GetValue<Guid>();
        using var akmolaManager = feedback.Client(["feedback.manage"], "KZ-11");
        var complaint = await ComplaintTests.RegisterAsync(akmolaManager, "KZ-11");
        var complaintId = complaint["id"]!.GetValue<Guid>();

        using var almatyAnalyst = feedback.Client(["feedback.read"], "KZ-75");
        using var almatyManager = feedback.Client(["feedback.manage"], "KZ-75");
        string[] hidden =
        [
            $"/api/feedback/interactions/{interactionId}",
            "/api/feedback/indicators?region=KZ-11",
            "/api/feedback/comments?region=KZ-11",
            "/api/feedback/alerts?region=KZ-11",
        ];
        foreach (var path in hidden)
        {
            using var response = await almatyAnalyst.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{path}: {response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        using (var response = await almatyManager.GetAsync($"/api/feedback/complaints/{complaintId}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        using (var response = await almatyManager.PostAsJsonAsync($"/api/feedback/complaints/{complaintId}/steps", new { action = "forward", reason = "x" }))
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        // The region's own analyst, and a national one, do see them; an analyst can't handle complaints.
        using var akmolaAnalyst = feedback.Client(["feedback.read"], "KZ-11");
        using var national = feedback.Client(["feedback.read"]);
        Assert.Equal(HttpStatusCode.OK, (await akmolaAnalyst.GetAsync($"/api/feedback/interactions/{interactionId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await national.GetAsync($"/api/feedback/interactions/{interactionId}")).StatusCode);
        var nationwide = (await national.GetFromJsonAsync<JsonObject>("/api/feedback/indicators?groupBy=region"))!;
        Assert.Equal(20, nationwide["regions"]!.AsArray().Count);
        Assert.Equal(HttpStatusCode.Forbidden, (await akmolaAnalyst.GetAsync($"/api/feedback/complaints/{complaintId}")).StatusCode);

        // A regional system can't register an interaction elsewhere; anonymous callers get nothing but the public routes.
        using var elsewhere = await almatyManager.PostAsJsonAsync("/api/feedback/interactions", new
        {
            reference = FeedbackService.NewReference(), kind = "call_102", region = "KZ-11", unit = "u", channel = "phone",
            occurredAt = DateTimeOffset.UtcNow.AddMinutes(-5), surveyConsent = false,
        });
        Assert.Equal(HttpStatusCode.Forbidden, elsewhere.StatusCode);
        using var anonymous = feedback.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/feedback/indicators")).StatusCode);
    }

    [Fact]
    public async Task ARetryWithATokenForAnotherRegionNeverReturnsTheFirstRecord()
    {
        // One police system (one client) whose national token recorded in KZ-75; the same client's KZ-71 token repeats
        // the key or the reference. The KZ-75 token still gets its own records back.
        const string client = "police-dispatch-scope";
        using var national = feedback.Client(["feedback.manage"], client: client);
        using var almaty = feedback.Client(["feedback.manage"], "KZ-75", client: client);
        using var astana = feedback.Client(["feedback.manage"], "KZ-71", client: client);

        async Task<HttpResponseMessage> SendAsync(HttpClient http, string path, object body, string? key = null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
            if (key is not null) request.Headers.Add("Idempotency-Key", key);
            return await http.SendAsync(request);
        }

        async Task AssertRefusedAsync(HttpResponseMessage repeat, JsonObject first, params string[] fields)
        {
            Assert.Equal(HttpStatusCode.Conflict, repeat.StatusCode);
            var problem = (await FeedbackService.ProblemAsync(repeat)).ToJsonString();
            foreach (var field in fields.Append("id"))
            {
                Assert.DoesNotContain(first[field]!.ToString(), problem);
            }
        }

        var reference = FeedbackService.NewReference();
        object Interaction(string region) => new
        {
            reference, kind = "call_102", region, unit = FeedbackService.NewName("Unit"), channel = "phone", occurredAt = DateTimeOffset.UtcNow.AddHours(-1),
            surveyConsent = false,
        };
        var interaction = (await (await SendAsync(national, "/api/feedback/interactions", Interaction("KZ-75"))).Content.ReadFromJsonAsync<JsonObject>())!;
        await AssertRefusedAsync(await SendAsync(astana, "/api/feedback/interactions", Interaction("KZ-71")), interaction, "unit");
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(almaty, "/api/feedback/interactions", Interaction("KZ-75"))).StatusCode);

        var complaintKey = Guid.NewGuid().ToString();
        var description = "The officer shouted at me " + FeedbackService.NewName("at the station");
        object Complaint(string region) => new { region, unit = "District police 4", category = "inaction", description };
        using var registered = await SendAsync(national, "/api/feedback/complaints", Complaint("KZ-75"), complaintKey);
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var complaint = (await registered.Content.ReadFromJsonAsync<JsonObject>())!;
        await AssertRefusedAsync(await SendAsync(astana, "/api/feedback/complaints", Complaint("KZ-71"), complaintKey), complaint, "description", "referenceCode");
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(almaty, "/api/feedback/complaints", Complaint("KZ-75"), complaintKey)).StatusCode);

        var venueKey = Guid.NewGuid().ToString();
        var venueName = FeedbackService.NewName("Night club");
        object Venue(string region) => new { name = venueName, kind = "nightclub", region, settlement = "Almaty", address = "Dostyk avenue" };
        using var created = await SendAsync(national, "/api/feedback/venues", Venue("KZ-75"), venueKey);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var venue = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        await AssertRefusedAsync(await SendAsync(astana, "/api/feedback/venues", Venue("KZ-71"), venueKey), venue, "name", "address");
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(almaty, "/api/feedback/venues", Venue("KZ-75"), venueKey)).StatusCode);
    }

    [Fact]
    public async Task APoliceSystemRecordsWhatHappenedButNeitherReadsNorDecidesComplaintsAboutThePolice()
    {
        using var police = feedback.Client(["feedback.ingest"], "KZ-11", client: "police-102");
        var interaction = await feedback.RegisterAsync("KZ-11", "Kokshetau police", client: "police-102");
        using var handler = feedback.Client(["feedback.manage"], "KZ-11");
        var complaint = (await ComplaintTests.RegisterAsync(handler, "KZ-11"))["id"]!.GetValue<Guid>();

        using (var request = new HttpRequestMessage(HttpMethod.Post, "/api/feedback/venues"))
        {
            request.Content = JsonContent.Create(new
            {
                name = FeedbackService.NewName("Station bar"), kind = "bar", region = "KZ-11", settlement = "Kokshetau", address = "Abay street 1",
            });
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
            using var venue = await police.SendAsync(request);
            Assert.Equal(HttpStatusCode.Created, venue.StatusCode);
        }

        string[] closed =
        [
            "/api/feedback/complaints",
            $"/api/feedback/complaints/{complaint}",
            "/api/feedback/indicators?region=KZ-11",
            "/api/feedback/comments?region=KZ-11",
            "/api/feedback/alerts?region=KZ-11",
            $"/api/feedback/interactions/{interaction["id"]}",
        ];
        foreach (var path in closed)
        {
            using var response = await police.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{path}: {response.StatusCode}");
        }

        using var step = await police.PostAsJsonAsync($"/api/feedback/complaints/{complaint}/steps", new { action = "resolve", reason = "no case", outcome = "not_upheld" });
        Assert.Equal(HttpStatusCode.Forbidden, step.StatusCode);
    }
}
