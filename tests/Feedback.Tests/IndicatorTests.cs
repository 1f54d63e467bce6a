using System.Globalization;
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
    public async Task TheAnswerComparesThePeriodWithThePreviousOneOfTheSameLength()
    {
        var unit = FeedbackService.NewName("Unit");
        // 2024-Q1 (Kazakhstan, UTC+5): one satisfied of four. 2024-Q2: both satisfied, the first at 00:00 on 1 April (Q2's first
        // instant). Just before Q1 (23:59 on 31 December 2023) is in neither.
        (string At, int Overall)[] responses =
        [
            ("2023-12-31T18:59:00Z", 5), ("2024-01-10T06:00:00Z", 5), ("2024-02-10T06:00:00Z", 2), ("2024-03-10T06:00:00Z", 3), ("2024-03-31T18:59:00Z", 1),
            ("2024-03-31T19:00:00Z", 4), ("2024-05-10T06:00:00Z", 5),
        ];
        foreach (var (at, overall) in responses)
        {
            await feedback.ScalarAsync("""
                INSERT INTO survey_responses (id, verified, region, unit, submitted_at, overall)
                VALUES (gen_random_uuid(), false, 'KZ-75', @unit, @at::timestamptz, @overall)
                """, ("unit", unit), ("at", at), ("overall", overall));
        }

        using var analyst = feedback.Client(["feedback.read"]);
        var body = (await analyst.GetFromJsonAsync<JsonObject>(
            $"/api/feedback/indicators?region=KZ-75&unit={Uri.EscapeDataString(unit)}&period=2024-Q2&groupBy=month"))!;
        Assert.Equal(2, body["unverified"]!["responses"]!.GetValue<long>());
        var previous = body["previous"]!.AsObject();
        Assert.Equal(DateTimeOffset.Parse("2023-12-31T19:00:00Z", CultureInfo.InvariantCulture), previous["from"]!.GetValue<DateTimeOffset>());
        Assert.Equal(DateTimeOffset.Parse("2024-03-31T19:00:00Z", CultureInfo.InvariantCulture), previous["to"]!.GetValue<DateTimeOffset>());
        Assert.Equal(4, previous["unverified"]!["responses"]!.GetValue<long>());
        Assert.Equal(0.25, previous["unverified"]!["satisfiedShare"]!.GetValue<double>());
        Assert.Equal(0, previous["verified"]!["responses"]!.GetValue<long>());
        Assert.Equal(0.65, previous["target"]!.GetValue<double>());
        Assert.False(previous.ContainsKey("breakdown"));
        Assert.Equal(75.0, body["satisfiedShareChange"]!["unverified"]!.GetValue<double>());
        Assert.Null(body["satisfiedShareChange"]!["verified"]);

        // A from/to range compares with as many days before it: 10 to 20 May with 30 April to 10 May (the 10 May response is in the asked range).
        var days = (await analyst.GetFromJsonAsync<JsonObject>(
            $"/api/feedback/indicators?region=KZ-75&unit={Uri.EscapeDataString(unit)}&from=2024-05-10&to=2024-05-20"))!;
        Assert.Equal(DateTimeOffset.Parse("2024-04-29T19:00:00Z", CultureInfo.InvariantCulture), days["previous"]!["from"]!.GetValue<DateTimeOffset>());
        Assert.Equal(0, days["previous"]!["unverified"]!["responses"]!.GetValue<long>());
        Assert.Null(days["satisfiedShareChange"]!["unverified"]);
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
