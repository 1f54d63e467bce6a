using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PublicSafety.Contracts.Feedback;
using PublicSafety.Testing;

namespace PublicSafety.Feedback.Tests;

[Collection(FeedbackCollection.Name)]
public sealed class SurveyTests(FeedbackService feedback)
{
    [Fact]
    public async Task AnInteractionInvitesTheCitizenWhoseAnswerReachesTheIndicators()
    {
        // Subscribed before the registration: a fanout exchange drops what no queue is bound to when it is published.
        await using var tap = await BrokerTap.OpenAsync(BrokerTap.ExchangeFor<SurveyInvitationIssued>(feedback.Prefix + "."));
        var unit = FeedbackService.NewName("Unit");
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        var interaction = await feedback.RegisterAsync("KZ-35", unit, traceParent: $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        Assert.Equal("invited", interaction["survey"]!.GetValue<string>());
        var id = interaction["id"]!.GetValue<Guid>();

        // The token comes from the event as the broker delivers it to a subscriber (the notification system): MassTransit's
        // JSON envelope, the event under "message".
        var delivered = await tap.ReceiveAsync(e => e["message"]?["interactionId"]?.GetValue<Guid>() == id, TimeSpan.FromSeconds(20));
        Assert.Equal("application/vnd.masstransit+json", delivered.ContentType);
        var issued = delivered.Envelope["message"]!.AsObject();
        var token = issued["token"]!.GetValue<string>();
        Assert.Equal(43, token.Length);
        Assert.Equal("police-102", issued["sourceSystem"]!.GetValue<string>());
        Assert.Equal("sms", issued["safeChannel"]!.GetValue<string>());
        // The link opens the citizens' survey page with the token in the fragment, which browsers never send to a server.
        Assert.EndsWith("/citizen/survey#" + token, issued["surveyLink"]!.GetValue<string>());
        Assert.Equal(2, issued["schemaVersion"]!.GetValue<int>());
        Assert.Contains("urn:message:PublicSafety.Contracts.Feedback:SurveyInvitationIssued", delivered.Envelope["messageType"]!.AsArray().Select(t => t!.GetValue<string>()));

        // No contact travels: the event holds exactly the contract's fields (the notification system resolves the contact with
        // the source by its reference), and neither the envelope's headers nor the transport's hold anything else.
        Assert.Equal(
            ["expiresAt", "interactionId", "interactionKind", "invitationId", "messageId", "occurredAt", "region", "safeChannel", "schemaVersion",
                "sourceReference", "sourceSystem", "surveyLink", "token", "unit"],
            issued.Select(p => p.Key).Order(StringComparer.Ordinal));
        var headerNames = delivered.Headers.Keys.Concat(delivered.Envelope["headers"]?.AsObject().Select(h => h.Key) ?? []).ToList();
        Assert.DoesNotContain(headerNames, h => h.Contains("phone", StringComparison.OrdinalIgnoreCase)
            || h.Contains("mail", StringComparison.OrdinalIgnoreCase) || h.Contains("contact", StringComparison.OrdinalIgnoreCase));

        // The registration's trace continues through the outbox row (its traceparent column) to the published message: MassTransit
        // 8.4 carries it as a W3C traceparent value in its MT-Activity-Id header, in the transport headers and the envelope's.
        Assert.Equal(traceId, ActivityContext.Parse(delivered.Headers["MT-Activity-Id"]!, null).TraceId.ToHexString());
        Assert.Equal(delivered.Headers["MT-Activity-Id"], delivered.Envelope["headers"]!["MT-Activity-Id"]!.GetValue<string>());

        // The database keeps only the token's hash.
        Assert.Equal(1, await feedback.ScalarAsync(
            "SELECT count(*) FROM survey_invitations WHERE token_hash = sha256(convert_to(@t, 'UTF8'))", ("t", token)));

        using var citizen = feedback.Anonymous();
        using var described = await citizen.PostAsJsonAsync("/api/feedback/public/surveys/describe", new { token });
        Assert.Equal(HttpStatusCode.OK, described.StatusCode);
        Assert.Equal(5, (await described.Content.ReadFromJsonAsync<JsonObject>())!["criteria"]!.AsArray().Count);

        using var submitted = await citizen.PostAsJsonAsync("/api/feedback/public/surveys/responses",
            new { token, overall = 4, legality = 5, thoroughness = 4, timeliness = 2, respect = 5, comment = "Call me at +7 701 123 45 67, my IIN 900101300123" });
        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        Assert.True((await submitted.Content.ReadFromJsonAsync<JsonObject>())!["verified"]!.GetValue<bool>());

        using var analyst = feedback.Client(["feedback.read"], "KZ-35");
        var indicators = (await analyst.GetFromJsonAsync<JsonObject>($"/api/feedback/indicators?unit={Uri.EscapeDataString(unit)}&groupBy=unit"))!;
        var verified = indicators["verified"]!.AsObject();
        Assert.Equal(1, verified["responses"]!.GetValue<long>());
        Assert.Equal(1.0, verified["satisfiedShare"]!.GetValue<double>());
        var criteria = verified["criteria"]!.AsArray().ToDictionary(c => c!["criterion"]!.GetValue<string>(), c => c!.AsObject());
        Assert.Equal(0.0, criteria["timeliness"]["satisfiedShare"]!.GetValue<double>());
        Assert.Equal(0, criteria["informedness"]["answered"]!.GetValue<long>());
        Assert.Equal(0, indicators["unverified"]!["responses"]!.GetValue<long>());
        Assert.Equal(0.77, indicators["target"]!.GetValue<double>());
        Assert.True(indicators["meetsTarget"]!.GetValue<bool>());
        Assert.Equal(unit, indicators["breakdown"]![0]!["key"]!.GetValue<string>());
        Assert.True(indicators["responseRate"]!["invitations"]!.GetValue<long>() >= 1);

        // Analysts see the comment with the phone number and the IIN masked; neither was ever stored.
        var comments = (await analyst.GetFromJsonAsync<JsonArray>("/api/feedback/comments?limit=200"))!;
        var comment = comments.Select(c => c!["comment"]!.GetValue<string>()).Single(c => c.StartsWith("Call me at", StringComparison.Ordinal));
        Assert.Equal("Call me at [masked], my IIN [masked]", comment);
        Assert.Equal(0, await feedback.ScalarAsync("SELECT count(*) FROM survey_responses WHERE comment LIKE '%701%' OR comment LIKE '%900101300123%'"));
    }

    [Fact]
    public async Task ASecondSubmissionOfOneInvitationIsRefusedEvenWhenBothArriveAtOnce()
    {
        var interaction = await feedback.RegisterAsync();
        var token = await feedback.TokenAsync(interaction["id"]!.GetValue<Guid>());
        using var citizen = feedback.Anonymous();

        var attempts = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ =>
            citizen.PostAsJsonAsync("/api/feedback/public/surveys/responses", FeedbackService.Answers(token, 5))));
        Assert.Equal(1, attempts.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(5, attempts.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        var problem = await FeedbackService.ProblemAsync(attempts.First(r => r.StatusCode == HttpStatusCode.Conflict));
        Assert.Equal("Survey already answered", problem["title"]!.GetValue<string>());

        using var later = await citizen.PostAsJsonAsync("/api/feedback/public/surveys/responses", FeedbackService.Answers(token, 1));
        Assert.Equal(HttpStatusCode.Conflict, later.StatusCode);
        Assert.Equal(1, await feedback.ScalarAsync(
            "SELECT count(*) FROM survey_responses r JOIN survey_invitations i ON i.id = r.invitation_id WHERE i.interaction_id = @id",
            ("id", interaction["id"]!.GetValue<Guid>())));
        foreach (var attempt in attempts)
        {
            attempt.Dispose();
        }
    }

    [Fact]
    public async Task AnUnknownTokenIsRefusedWithAProblem()
    {
        using var citizen = feedback.Anonymous();
        using var response = await citizen.PostAsJsonAsync("/api/feedback/public/surveys/responses",
            FeedbackService.Answers(new string('A', 43), 5));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Unknown survey", (await FeedbackService.ProblemAsync(response))["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task UnsolicitedFeedbackIsAcceptedAndCountedAsUnverified()
    {
        var unit = FeedbackService.NewName("Unit");
        using var citizen = feedback.Anonymous();
        using var response = await citizen.PostAsJsonAsync("/api/feedback/public/feedback", new { region = "KZ-10", unit, overall = 2, respect = 1 });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.False((await response.Content.ReadFromJsonAsync<JsonObject>())!["verified"]!.GetValue<bool>());

        using var analyst = feedback.Client(["feedback.read"]);
        var indicators = (await analyst.GetFromJsonAsync<JsonObject>($"/api/feedback/indicators?region=KZ-10&unit={Uri.EscapeDataString(unit)}"))!;
        Assert.Equal(0, indicators["verified"]!["responses"]!.GetValue<long>());
        Assert.Equal(1, indicators["unverified"]!["responses"]!.GetValue<long>());
        Assert.Equal(0.0, indicators["unverified"]!["satisfiedShare"]!.GetValue<double>());
    }

    [Fact]
    public async Task WithoutConsentNoInvitationIsIssuedAndARepeatedRegistrationReturnsTheFirst()
    {
        var reference = FeedbackService.NewReference();
        var first = await feedback.RegisterAsync(consent: false, reference: reference);
        Assert.Equal("no_consent", first["survey"]!.GetValue<string>());
        Assert.Null(first["invitation"]);
        var again = await feedback.RegisterAsync(consent: true, reference: reference);
        Assert.Equal(first["id"]!.GetValue<Guid>(), again["id"]!.GetValue<Guid>());
        Assert.Empty(await feedback.OutboxAsync("SurveyInvitationIssued", first["id"]!.GetValue<Guid>().ToString()));
    }

    [Fact]
    public async Task DomesticViolenceAndSexualAssaultInvitationsAreSuppressedAndCounted()
    {
        var region = "KZ-43";
        using var analyst = feedback.Client(["feedback.read"], region);
        var before = await SuppressedAsync(analyst);
        var dv = await feedback.RegisterAsync(region, offence: "domestic_violence", kind: "offence_report");
        var sa = await feedback.RegisterAsync(region, offence: "sexual_assault", kind: "offence_report");
        Assert.Equal("suppressed", dv["survey"]!.GetValue<string>());
        Assert.Equal("domestic-violence", dv["suppressedBy"]!.GetValue<string>());
        Assert.Equal("sexual-assault", sa["suppressedBy"]!.GetValue<string>());
        Assert.Empty(await feedback.OutboxAsync("SurveyInvitationIssued", dv["id"]!.GetValue<Guid>().ToString()));
        var after = await SuppressedAsync(analyst);
        Assert.Equal(before.GetValueOrDefault("domestic-violence") + 1, after["domestic-violence"]);
        Assert.Equal(before.GetValueOrDefault("sexual-assault") + 1, after["sexual-assault"]);
    }

    [Fact]
    public async Task TheSurveyNamesTheDayOfTheInteractionInKazakhstan()
    {
        // 03:00 yesterday in Kazakhstan: the day before in UTC.
        var kz = TimeSpan.FromHours(5);
        var yesterday = DateOnly.FromDateTime(DateTimeOffset.UtcNow.ToOffset(kz).DateTime).AddDays(-1);
        var at = new DateTimeOffset(yesterday.ToDateTime(new TimeOnly(3, 0)), kz);
        var interaction = await feedback.RegisterAsync("KZ-75", occurredAt: at);
        var token = await feedback.TokenAsync(interaction["id"]!.GetValue<Guid>());

        using var citizen = feedback.Anonymous();
        using var described = await citizen.PostAsJsonAsync("/api/feedback/public/surveys/describe", new { token });
        Assert.Equal(HttpStatusCode.OK, described.StatusCode);
        var occurredOn = (await described.Content.ReadFromJsonAsync<JsonObject>())!["occurredOn"]!.GetValue<string>();
        Assert.Equal(yesterday, DateOnly.ParseExact(occurredOn, "yyyy-MM-dd", CultureInfo.InvariantCulture));
    }

    private static async Task<Dictionary<string, long>> SuppressedAsync(HttpClient analyst)
    {
        var body = (await analyst.GetFromJsonAsync<JsonObject>("/api/feedback/indicators"))!;
        return body["suppressedInvitations"]!.AsArray().ToDictionary(s => s!["rule"]!.GetValue<string>(), s => s!["count"]!.GetValue<long>());
    }
}

public sealed class ExpiryTests : IClassFixture<ShortLivedInvitationsService>
{
    private readonly ShortLivedInvitationsService _feedback;

    public ExpiryTests(ShortLivedInvitationsService feedback) => _feedback = feedback;

    [Fact]
    public async Task AnExpiredTokenIsRefusedAsGone()
    {
        var interaction = await _feedback.RegisterAsync();
        var token = await _feedback.TokenAsync(interaction["id"]!.GetValue<Guid>());
        using var citizen = _feedback.Anonymous();
        Assert.True(await Eventually.HoldsAsync(async () =>
        {
            using var described = await citizen.PostAsJsonAsync("/api/feedback/public/surveys/describe", new { token });
            return described.StatusCode == HttpStatusCode.Gone;
        }, TimeSpan.FromSeconds(10)));

        using var response = await citizen.PostAsJsonAsync("/api/feedback/public/surveys/responses", FeedbackService.Answers(token, 5));
        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.Equal("Survey expired", (await FeedbackService.ProblemAsync(response))["title"]!.GetValue<string>());
        Assert.Equal(0, await _feedback.ScalarAsync("SELECT count(*) FROM survey_responses"));
    }
}
