using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PublicSafety.Testing;

namespace PublicSafety.Feedback.Tests;

[Collection(FeedbackCollection.Name)]
public sealed class AlertTests(FeedbackService feedback)
{
    [Fact]
    public async Task AUnitBelowTargetWithEnoughResponsesRaisesOneAlert()
    {
        var poor = FeedbackService.NewName("Poor unit");
        var few = FeedbackService.NewName("Quiet unit");
        using var citizen = feedback.Anonymous();
        // Five verified responses, two satisfied: 40 % against a 77 % target. Four unsatisfied ones in another unit are too few.
        for (var i = 0; i < 5; i++)
        {
            await AnswerAsync(citizen, poor, i < 2 ? 5 : 2);
        }

        for (var i = 0; i < 4; i++)
        {
            await AnswerAsync(citizen, few, 1);
        }

        var key = $"KZ-62/{poor}";
        Assert.True(await Eventually.HoldsAsync(async () => (await feedback.OutboxAsync("ServiceQualityAlertRaised", key)).Count == 1, TimeSpan.FromSeconds(20)),
            "no alert was raised");
        var alert = Assert.Single(await feedback.OutboxAsync("ServiceQualityAlertRaised", key));
        Assert.Equal(5, alert["responses"]!.GetValue<int>());
        Assert.Equal(0.4, alert["satisfiedShare"]!.GetValue<double>());
        Assert.Equal(0.77, alert["target"]!.GetValue<double>());

        // Later evaluations (every second) don't raise it again while the unit stays below target; the small unit never alerts.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Single(await feedback.OutboxAsync("ServiceQualityAlertRaised", key));
        Assert.Empty(await feedback.OutboxAsync("ServiceQualityAlertRaised", $"KZ-62/{few}"));
        using var analyst = feedback.Client(["feedback.read"], "KZ-62");
        var active = (await analyst.GetFromJsonAsync<JsonArray>("/api/feedback/alerts"))!;
        Assert.Contains(active, a => a!["unit"]!.GetValue<string>() == poor);
    }

    private async Task AnswerAsync(HttpClient citizen, string unit, int overall)
    {
        var interaction = await feedback.RegisterAsync("KZ-62", unit);
        var token = await feedback.TokenAsync(interaction["id"]!.GetValue<Guid>());
        using var response = await citizen.PostAsJsonAsync("/api/feedback/public/surveys/responses", FeedbackService.Answers(token, overall, overall));
        response.EnsureSuccessStatusCode();
    }
}
