using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace PublicSafety.Feedback.Tests;

[Collection(FeedbackCollection.Name)]
public sealed class IndicatorTests(FeedbackService feedback)
{
    [Fact]
    public async Task MonthlyBucketsAreCutAtTheSameMidnightAsThePeriod()
    {
        var unit = FeedbackService.NewName("Unit");
        // 23:30 on 31 January 2024 at UTC+5, inside the period January 2024; the tz database's Asia/Almaty was still +06:00
        // then, which made it 00:30 on 1 February.
        await feedback.ScalarAsync("""
            INSERT INTO survey_responses (id, verified, region, unit, submitted_at, overall)
            VALUES (gen_random_uuid(), false, 'KZ-75', @unit, '2024-01-31T18:30:00Z', 5)
            """, ("unit", unit));

        using var analyst = feedback.Client(["feedback.read"]);
        var body = (await analyst.GetFromJsonAsync<JsonObject>(
            $"/api/feedback/indicators?region=KZ-75&unit={Uri.EscapeDataString(unit)}&period=2024-01&groupBy=month"))!;
        Assert.Equal(1, body["unverified"]!["responses"]!.GetValue<long>());
        var bucket = Assert.Single(body["breakdown"]!.AsArray())!;
        Assert.Equal("2024-01", bucket["key"]!.GetValue<string>());
        Assert.Equal(1, bucket["unverified"]!["responses"]!.GetValue<long>());
    }

    [Fact]
    public async Task SuppressedInvitationsAreCountedWithinTheUnitChannelAndKindAsked()
    {
        var unit = FeedbackService.NewName("Unit");
        await feedback.RegisterAsync("KZ-43", unit, offence: "domestic_violence", kind: "offence_report");
        await feedback.RegisterAsync("KZ-43", FeedbackService.NewName("Unit"), offence: "domestic_violence", kind: "offence_report");

        using var analyst = feedback.Client(["feedback.read"], "KZ-43");
        var today = DateOnly.FromDateTime(DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(5)).DateTime);
        async Task<long> SuppressedAsync(string filter)
        {
            var body = (await analyst.GetFromJsonAsync<JsonObject>(
                $"/api/feedback/indicators?from={today.AddDays(-2):yyyy-MM-dd}&to={today.AddDays(2):yyyy-MM-dd}&{filter}"))!;
            return body["suppressedInvitations"]!.AsArray().Where(s => s!["rule"]!.GetValue<string>() == "domestic-violence")
                .Sum(s => s!["count"]!.GetValue<long>());
        }

        var escaped = Uri.EscapeDataString(unit);
        Assert.Equal(1, await SuppressedAsync($"unit={escaped}"));
        Assert.Equal(1, await SuppressedAsync($"unit={escaped}&channel=phone&kind=offence_report"));
        Assert.Equal(0, await SuppressedAsync($"unit={escaped}&channel=in_person"));
        Assert.Equal(0, await SuppressedAsync($"unit={escaped}&kind=call_102"));
        Assert.Equal(0, await SuppressedAsync($"unit={Uri.EscapeDataString(FeedbackService.NewName("Unit"))}"));
        Assert.True(await SuppressedAsync("kind=offence_report") >= 2);
    }
}
