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
