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
}
