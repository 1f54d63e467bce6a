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
}
