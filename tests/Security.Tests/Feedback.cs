using static PublicSafety.Security.Tests.HttpCall;
using static PublicSafety.Security.Tests.Shapes;

namespace PublicSafety.Security.Tests;

/// <summary>
/// A KZ-75 interaction, complaint and venue (with a 102 signal), a citizen's comment, and a quality alert of a KZ-75 unit
/// (written to the table: raising one takes five answered invitations, whose one-time tokens only the citizens get); and a
/// KZ-71 venue of the caller's own region.
/// </summary>
public sealed record FeedbackSeed(Guid Interaction, Guid Complaint, string ComplaintCode, Guid Venue, Guid OwnVenue)
{
    public const string Reference = "CARD-ENUMSEVENTYFIVE";
    public const string Unit = "Enum Almaty unit marker";
    public const string Description = "Enum complaint description marker";
    public const string ComplaintKey = "enum-complaint-key-0001";
    public const string VenueName = "Enum venue marker";
    public const string VenueKey = "enum-venue-key-0001";
    public const string CallReference = "CALL-ENUM-SEVENTYFIVE";
    public const string Comment = "Enum comment marker";

    public static string Period => $"{Seed.Now.Year}-H{(Seed.Now.Month <= 6 ? 1 : 2)}";

    public string[] ComplaintSecrets => [Complaint.ToString(), ComplaintCode, Description, Unit];

    public string[] VenueSecrets => [Venue.ToString(), VenueName];

    public static object InteractionBody(string region, string reference = Reference) => new
    {
        reference, kind = "call_102", region, unit = Unit, channel = "phone", occurredAt = Seed.Now.AddHours(-2), surveyConsent = true, safeChannel = "sms",
    };

    public static object ComplaintBody(string region) => new { region, unit = Unit, category = "rudeness", description = Description };

    public static object VenueBody(string region, string name = VenueName) =>
        new { name, kind = "bar", region, settlement = "Almaty", address = "Abay avenue", latitude = 43.25, longitude = 76.92 };

    public static object Signal(string callReference) => new { callReference, signalType = "violence", receivedAt = Seed.Now.AddHours(-1) };

    public static async Task<FeedbackSeed> CreateAsync(Seeder seeder)
    {
        var interaction = await seeder.IdAsync(Post("/api/feedback/interactions", InteractionBody(Seed.At)));
        var complaint = await seeder.SendAsync(Post("/api/feedback/complaints", ComplaintBody(Seed.At), ComplaintKey));
        var venue = await seeder.IdAsync(Post("/api/feedback/venues", VenueBody(Seed.At), VenueKey));
        await seeder.SendAsync(Post($"/api/feedback/venues/{venue}/signals", Signal(CallReference)));
        var own = await seeder.IdAsync(Post("/api/feedback/venues", VenueBody(Callers.Region, "Astana bar"), "enum-venue-key-0071"));
        await seeder.SendAsync(Post("/api/feedback/public/feedback", new { region = Seed.At, unit = Unit, overall = 2, comment = Comment }), Caller.Anonymous);
        await seeder.SqlAsync("INSERT INTO quality_alerts (region, unit, raised_at, satisfied_share, responses) VALUES (@r, @u, @at, 0.2, 5)",
            ("r", Seed.At), ("u", Unit), ("at", Seed.Now.AddMinutes(-5)));
        return new FeedbackSeed(interaction, complaint["id"]!.GetValue<Guid>(), complaint["referenceCode"]!.GetValue<string>(), venue, own);
    }
}

public static class FeedbackCases
{
    private const string Anonymous = "an anonymous citizens' route: no caller scope applies; what it returns is the caller's own or public";

    public static CaseTable Table => new()
    {
        { "GET /api/feedback/me", CaseTable.Exempt("the caller's own token, echoed back", _ => Get("/api/feedback/me")) },
        { "GET /api/feedback/public/venues", CaseTable.Exempt("the published venue rating, public by design (action plan 5.2)", _ => Get("/api/feedback/public/venues?region=KZ-75")) },
        {
            "POST /api/feedback/interactions", s =>
            [
                Create(Post("/api/feedback/interactions", FeedbackSeed.InteractionBody(Seed.At, "CARD-ENUMOTHER"))),
                Replay(Post("/api/feedback/interactions", FeedbackSeed.InteractionBody(Callers.Region)), Get($"/api/feedback/interactions/{s.Feedback.Interaction}"),
                    s.Feedback.Interaction.ToString(), FeedbackSeed.Unit),
                Replay(Post("/api/feedback/interactions", FeedbackSeed.InteractionBody(Seed.At)), Get($"/api/feedback/interactions/{s.Feedback.Interaction}"),
                    s.Feedback.Interaction.ToString()),
            ]
        },
        { "GET /api/feedback/interactions/{id}", s => [Read($"/api/feedback/interactions/{s.Feedback.Interaction}", s.Feedback.Interaction.ToString(), FeedbackSeed.Unit)] },
        { "POST /api/feedback/public/surveys/describe", CaseTable.Exempt(Anonymous + " (the survey's one-time token)", _ => Post("/api/feedback/public/surveys/describe", new { token = new string('A', 43) })) },
        {
            "POST /api/feedback/public/surveys/responses", CaseTable.Exempt(Anonymous + " (the survey's one-time token)", _ => Post("/api/feedback/public/surveys/responses", new
            {
                token = new string('A', 43), overall = 4, legality = 4, thoroughness = 4, timeliness = 4, respect = 4, informedness = 4, comment = "Fine",
            }))
        },
        {
            "POST /api/feedback/public/feedback", CaseTable.Exempt(Anonymous, _ => Post("/api/feedback/public/feedback", new
            {
                region = "KZ-75", unit = "Medeu district police", interactionKind = "call_102", channel = "phone", overall = 4, legality = 4, comment = "Fine",
            }))
        },
        {
            "GET /api/feedback/indicators", _ =>
            [
                List(Get("/api/feedback/indicators"), Seed.At),
                List(Get("/api/feedback/indicators?region=KZ-75&groupBy=unit"), Seed.At, FeedbackSeed.Unit),
            ]
        },
        {
            "GET /api/feedback/comments", _ =>
            [
                List(Get("/api/feedback/comments"), FeedbackSeed.Comment),
                List(Get("/api/feedback/comments?region=KZ-75"), FeedbackSeed.Comment),
            ]
        },
        {
            "GET /api/feedback/alerts", _ =>
            [
                List(Get("/api/feedback/alerts"), FeedbackSeed.Unit),
                List(Get("/api/feedback/alerts?region=KZ-75"), FeedbackSeed.Unit),
            ]
        },
        {
            "POST /api/feedback/complaints", s =>
            [
                Create(Post("/api/feedback/complaints", FeedbackSeed.ComplaintBody(Seed.At), "enum-new-complaint-key")),
                Replay(Post("/api/feedback/complaints", FeedbackSeed.ComplaintBody(Callers.Region), FeedbackSeed.ComplaintKey), Get($"/api/feedback/complaints/{s.Feedback.Complaint}"),
                    s.Feedback.ComplaintSecrets),
                Replay(Post("/api/feedback/complaints", FeedbackSeed.ComplaintBody(Seed.At), FeedbackSeed.ComplaintKey), Get($"/api/feedback/complaints/{s.Feedback.Complaint}"),
                    s.Feedback.ComplaintSecrets),
            ]
        },
        {
            "GET /api/feedback/complaints", s =>
            [
                List(Get("/api/feedback/complaints"), s.Feedback.ComplaintSecrets),
                List(Get("/api/feedback/complaints?region=KZ-75"), s.Feedback.ComplaintSecrets),
            ]
        },
        { "GET /api/feedback/complaints/{id}", s => [Read($"/api/feedback/complaints/{s.Feedback.Complaint}", s.Feedback.ComplaintSecrets)] },
        {
            "POST /api/feedback/complaints/{id}/steps", s =>
                [Write(Post($"/api/feedback/complaints/{s.Feedback.Complaint}/steps", new { action = "assign", reason = "Taking it over", assignee = "astana-reviewer" }),
                    Get($"/api/feedback/complaints/{s.Feedback.Complaint}"), s.Feedback.ComplaintSecrets)]
        },
        {
            "POST /api/feedback/public/complaints", CaseTable.Exempt(Anonymous + " (a receipt for the complaint just filed; the key is the form's own random value)",
                _ => Post("/api/feedback/public/complaints", FeedbackSeed.ComplaintBody("KZ-75"), "enum-public-complaint-form-key-01"))
        },
        {
            "GET /api/feedback/public/complaints/{referenceCode}", CaseTable.Exempt(Anonymous + " (the reference code is the complainant's; no handler names or reasons)",
                s => Get($"/api/feedback/public/complaints/{s.Feedback.ComplaintCode}"))
        },
        {
            "POST /api/feedback/venues", s =>
            [
                Create(Post("/api/feedback/venues", FeedbackSeed.VenueBody(Seed.At, "Another Almaty bar"), "enum-new-venue-key")),
                Replay(Post("/api/feedback/venues", FeedbackSeed.VenueBody(Callers.Region), FeedbackSeed.VenueKey), Get($"/api/feedback/venues/{s.Feedback.Venue}"),
                    s.Feedback.Venue.ToString()),
                Replay(Post("/api/feedback/venues", FeedbackSeed.VenueBody(Seed.At), FeedbackSeed.VenueKey), Get($"/api/feedback/venues/{s.Feedback.Venue}"),
                    s.Feedback.Venue.ToString()),
            ]
        },
        { "GET /api/feedback/venues/{id}", s => [Read($"/api/feedback/venues/{s.Feedback.Venue}", s.Feedback.VenueSecrets)] },
        {
            "POST /api/feedback/venues/{id}/signals", s =>
            [
                Write(Post($"/api/feedback/venues/{s.Feedback.Venue}/signals", FeedbackSeed.Signal("CALL-ENUM-NEW")), Get($"/api/feedback/venues/ratings/{FeedbackSeed.Period}?region=KZ-75")),
                Replay(Post($"/api/feedback/venues/{s.Feedback.OwnVenue}/signals", FeedbackSeed.Signal(FeedbackSeed.CallReference)),
                    Get($"/api/feedback/venues/ratings/{FeedbackSeed.Period}?region=KZ-75"), s.Feedback.VenueSecrets),
            ]
        },
        {
            "GET /api/feedback/venues/ratings/{period}", s =>
            [
                List(Get($"/api/feedback/venues/ratings/{FeedbackSeed.Period}"), s.Feedback.VenueSecrets),
                List(Get($"/api/feedback/venues/ratings/{FeedbackSeed.Period}?region=KZ-75"), s.Feedback.VenueSecrets),
            ]
        },
        {
            "POST /api/feedback/venues/ratings/{period}/publish", _ =>
                [Write(Post($"/api/feedback/venues/ratings/{Seed.Now.Year - 1}-H2/publish"), Get($"/api/feedback/public/venues?period={Seed.Now.Year - 1}-H2"))]
        },
        { "GET /api/feedback/public/open311/v2/services.json", CaseTable.Exempt(Anonymous + " (the static service list)", _ => Get("/api/feedback/public/open311/v2/services.json")) },
        {
            "GET /api/feedback/public/open311/v2/services/{code}.json",
            CaseTable.Exempt(Anonymous + " (a static service definition)", _ => Get("/api/feedback/public/open311/v2/services/police-conduct.json"))
        },
        {
            "POST /api/feedback/public/open311/v2/requests.json", CaseTable.Exempt(Anonymous + " (a citizen's submission; answers its own id)", _ => new HttpCall(HttpMethod.Post,
                "/api/feedback/public/open311/v2/requests.json")
            {
                ContentType = "application/x-www-form-urlencoded",
                Raw = "service_code=police-conduct&description=The+officer+was+rude&attribute%5Bregion%5D=KZ-75&attribute%5Bunit%5D=Patrol+3&attribute%5Bcategory%5D=rudeness"u8.ToArray(),
            })
        },
        {
            "GET /api/feedback/public/open311/v2/requests/{id}.json", CaseTable.Exempt(Anonymous + " (by the complainant's reference code, as the public status)",
                s => Get($"/api/feedback/public/open311/v2/requests/{s.Feedback.ComplaintCode}.json"))
        },
    };
}
