using System.Globalization;
using System.Text.RegularExpressions;
using PublicSafety.Feedback.Model;
using PublicSafety.ServiceDefaults;
using PublicSafety.ServiceDefaults.Auth;

namespace PublicSafety.Feedback.Apis;

/// <summary>Checks at the edge. Messages never echo the value: it may hold personal data.</summary>
internal static partial class Validation
{
    public const int MaxName = 200;
    public const int MaxReason = 1000;
    private static readonly TimeSpan FutureSkew = TimeSpan.FromMinutes(5);

    public static Dictionary<string, string[]> Interaction(InteractionRequest? r, DateTimeOffset now)
    {
        var e = new Dictionary<string, string[]>();
        if (r is null)
        {
            e["body"] = ["An interaction is required."];
            return e;
        }

        Reference(e, "reference", r.Reference);
        if (!InteractionKinds.IsValid(r.Kind)) e["kind"] = [$"kind must be one of {string.Join(", ", InteractionKinds.All)}."];
        if (r.OffenceCategory is not null && !OffenceCategories.IsValid(r.OffenceCategory))
            e["offenceCategory"] = [$"offenceCategory must be one of {string.Join(", ", OffenceCategories.All)}."];
        Region(e, "region", r.Region, required: true);
        Name(e, "unit", r.Unit, required: true);
        if (!InteractionChannels.IsValid(r.Channel)) e["channel"] = [$"channel must be one of {string.Join(", ", InteractionChannels.All)}."];
        Past(e, "occurredAt", r.OccurredAt, now, required: true);
        if (r.SurveyConsent is null) e["surveyConsent"] = ["surveyConsent is required: did the citizen agree to be asked about the service?"];
        if (r.SafeChannel is not null && !SafeChannels.IsValid(r.SafeChannel))
            e["safeChannel"] = [$"safeChannel must be one of {string.Join(", ", SafeChannels.All)} (the kind only, never the contact)."];
        return e;
    }

    public static (SurveyAnswers? Answers, Dictionary<string, string[]> Errors) Answers(
        int? overall, int? legality, int? thoroughness, int? timeliness, int? respect, int? informedness, string? comment)
    {
        var e = new Dictionary<string, string[]>();
        if (overall is not (>= 1 and <= 5)) e["overall"] = ["overall is required, from 1 to 5."];
        Score(e, "legality", legality);
        Score(e, "thoroughness", thoroughness);
        Score(e, "timeliness", timeliness);
        Score(e, "respect", respect);
        Score(e, "informedness", informedness);
        if (CommentText.Problem(comment, CommentText.MaxComment) is { } problem) e["comment"] = [$"comment {problem}"];
        return e.Count > 0 ? (null, e) : (new SurveyAnswers((short)overall!.Value, (short?)legality, (short?)thoroughness, (short?)timeliness,
            (short?)respect, (short?)informedness, CommentText.Masked(comment)), e);
    }

    public static Dictionary<string, string[]> Unsolicited(UnsolicitedFeedback r)
    {
        var e = new Dictionary<string, string[]>();
        Region(e, "region", r.Region, required: true);
        Name(e, "unit", r.Unit, required: false);
        if (r.InteractionKind is not null && !InteractionKinds.IsValid(r.InteractionKind))
            e["interactionKind"] = [$"interactionKind must be one of {string.Join(", ", InteractionKinds.All)}."];
        if (r.Channel is not null && !InteractionChannels.IsValid(r.Channel))
            e["channel"] = [$"channel must be one of {string.Join(", ", InteractionChannels.All)}."];
        return e;
    }

    public static Dictionary<string, string[]> Complaint(ComplaintRequest? r, DateTimeOffset now)
    {
        var e = new Dictionary<string, string[]>();
        if (r is null)
        {
            e["body"] = ["A complaint is required."];
            return e;
        }

        Region(e, "region", r.Region, required: true);
        Name(e, "unit", r.Unit, required: true);
        if (!ComplaintCategories.IsValid(r.Category)) e["category"] = [$"category must be one of {string.Join(", ", ComplaintCategories.All)}."];
        if (string.IsNullOrWhiteSpace(r.Description)) e["description"] = ["description is required."];
        else if (CommentText.Problem(r.Description, CommentText.MaxComplaint) is { } problem) e["description"] = [$"description {problem}"];
        Past(e, "incidentAt", r.IncidentAt, now, required: false);
        return e;
    }

    public static Dictionary<string, string[]> Step(ComplaintStepRequest? r)
    {
        var e = new Dictionary<string, string[]>();
        if (r is null)
        {
            e["body"] = ["A step is required."];
            return e;
        }

        if (r.Action is null || !ComplaintActions.All.Contains(r.Action)) e["action"] = [$"action must be one of {string.Join(", ", ComplaintActions.All)}."];
        if (string.IsNullOrWhiteSpace(r.Reason)) e["reason"] = ["reason is required: every step records why."];
        else if (CommentText.Problem(r.Reason, MaxReason) is { } problem) e["reason"] = [$"reason {problem}"];
        if (r.Action == "assign") Name(e, "assignee", r.Assignee, required: true);
        else if (r.Assignee is not null) e["assignee"] = ["assignee is given only with the assign action."];
        if (r.Action == "resolve" && (r.Outcome is null || !ComplaintOutcomes.All.Contains(r.Outcome)))
            e["outcome"] = [$"outcome must be one of {string.Join(", ", ComplaintOutcomes.All)} when resolving."];
        else if (r.Action != "resolve" && r.Outcome is not null) e["outcome"] = ["outcome is given only with the resolve action."];
        return e;
    }

    public static Dictionary<string, string[]> Venue(VenueRequest? r)
    {
        var e = new Dictionary<string, string[]>();
        if (r is null)
        {
            e["body"] = ["A venue is required."];
            return e;
        }

        Name(e, "name", r.Name, required: true);
        if (!VenueKinds.IsValid(r.Kind)) e["kind"] = [$"kind must be one of {string.Join(", ", VenueKinds.All)}."];
        Region(e, "region", r.Region, required: true);
        Name(e, "settlement", r.Settlement, required: true);
        Name(e, "address", r.Address, required: true);
        if ((r.Latitude is null) != (r.Longitude is null)) e["location"] = ["latitude and longitude come together."];
        else if (r.Latitude is { } lat && !Kazakhstan.Contains(lat, r.Longitude!.Value)) e["location"] = [$"latitude and longitude must be within Kazakhstan ({Kazakhstan.Bounds})."];
        return e;
    }

    public static Dictionary<string, string[]> Signal(SignalRequest? r, DateTimeOffset now)
    {
        var e = new Dictionary<string, string[]>();
        if (r is null)
        {
            e["body"] = ["A signal is required."];
            return e;
        }

        Reference(e, "callReference", r.CallReference);
        if (!VenueSignalTypes.IsValid(r.SignalType)) e["signalType"] = [$"signalType must be one of {string.Join(", ", VenueSignalTypes.All)}."];
        Past(e, "receivedAt", r.ReceivedAt, now, required: true);
        return e;
    }

    /// <summary>
    /// A period as <c>2026</c>, <c>2026-H1</c>, <c>2026-Q2</c> or <c>2026-05</c>, or <c>from</c>/<c>to</c> dates (to exclusive);
    /// boundaries at midnight in Kazakhstan (UTC+5). Neither: the current quarter.
    /// </summary>
    public static (DateTimeOffset From, DateTimeOffset To)? Period(string? period, string? from, string? to, DateTimeOffset now, Dictionary<string, string[]> e)
    {
        if (period is not null && (from is not null || to is not null))
        {
            e["period"] = ["Give either period or from/to, not both."];
            return null;
        }

        if (period is not null)
        {
            if (PeriodShape().Match(period) is not { Success: true } m)
            {
                e["period"] = ["period must look like 2026, 2026-H1, 2026-Q2 or 2026-05."];
                return null;
            }

            var year = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            var (startMonth, months) = m.Groups[2].Value switch
            {
                "" => (1, 12),
                var s when s[1] == 'H' => (s[2] == '1' ? 1 : 7, 6),
                var s when s[1] == 'Q' => ((s[2] - '1') * 3 + 1, 3),
                var s => (int.Parse(s[1..], CultureInfo.InvariantCulture), 1),
            };
            if (startMonth is < 1 or > 12)
            {
                e["period"] = ["period names a month that does not exist."];
                return null;
            }

            var first = new DateOnly(year, startMonth, 1);
            return (Kazakhstan.Midnight(first), Kazakhstan.Midnight(first.AddMonths(months)));
        }

        if (from is null && to is null)
        {
            var today = Kazakhstan.LocalDate(now);
            var quarter = new DateOnly(today.Year, (today.Month - 1) / 3 * 3 + 1, 1);
            return (Kazakhstan.Midnight(quarter), Kazakhstan.Midnight(quarter.AddMonths(3)));
        }

        if (!DateOnly.TryParseExact(from, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var f)) e["from"] = ["from must be a date (yyyy-MM-dd)."];
        if (!DateOnly.TryParseExact(to, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)) e["to"] = ["to must be a date (yyyy-MM-dd), exclusive."];
        if (e.Count > 0)
        {
            return null;
        }

        // Kazakhstan's midnight of 0001-01-01 is not a UTC time at all; the service's data starts in 2020 anyway.
        if (f.Year < 2000 || t.Year > 2100)
        {
            e["from"] = ["from and to must be dates between 2000 and 2100."];
            return null;
        }

        if (t <= f || t.DayNumber - f.DayNumber > 3 * 366)
        {
            e["to"] = ["to must be after from, at most three years later."];
            return null;
        }

        return (Kazakhstan.Midnight(f), Kazakhstan.Midnight(t));
    }

    /// <summary>The Idempotency-Key header of a create: 1 to 100 printable characters.</summary>
    public static void IdempotencyKey(Dictionary<string, string[]> e, string? key)
    {
        if (string.IsNullOrWhiteSpace(key) || key.Length > 100 || !PlainText.IsClean(key))
            e["Idempotency-Key"] = ["The Idempotency-Key header is required (1 to 100 characters, no control characters)."];
    }

    /// <summary>
    /// A citizen's Idempotency-Key: anyone may send one, so it must be long enough not to be guessed (16 to 100 characters;
    /// a form sends a UUID).
    /// </summary>
    public static void PublicIdempotencyKey(Dictionary<string, string[]> e, string key)
    {
        if (key.Length is < 16 or > 100 || string.IsNullOrWhiteSpace(key) || !PlainText.IsClean(key))
            e["Idempotency-Key"] = ["The Idempotency-Key header, when given, is a random value of 16 to 100 characters (such as a UUID) without control characters."];
    }

    public static void Region(Dictionary<string, string[]> e, string field, string? value, bool required)
    {
        if (value is null ? required : !Regions.IsValid(value)) e[field] = [$"{field} must be an ISO 3166-2:KZ region code such as KZ-75."];
    }

    public static void Name(Dictionary<string, string[]> e, string field, string? value, bool required)
    {
        if (value is null)
        {
            if (required) e[field] = [$"{field} is required."];
        }
        else if (string.IsNullOrWhiteSpace(value) || value.Length > MaxName || !PlainText.IsClean(value))
        {
            e[field] = [$"{field} must be 1 to {MaxName} characters without control characters."];
        }
        else if (CommentText.Masked(value) != value.Trim())
        {
            // Names of units, venues and assignees are shown to analysts unmasked: personal data has no place in them.
            e[field] = [$"{field} must not contain a phone number, an ID number or an e-mail address."];
        }
    }

    private static void Reference(Dictionary<string, string[]> e, string field, string? value)
    {
        if (value is null || !ReferenceShape().IsMatch(value))
            e[field] = [$"{field} is required: the source system's own reference, 1 to 64 letters, digits, '-', '_', '/', '.' or ':'."];
        else if (CommentText.Masked(value) != value)
            e[field] = [$"{field} looks like a phone or ID number: use the source system's record reference, never personal data."];
    }

    private static void Score(Dictionary<string, string[]> e, string field, int? value)
    {
        if (value is not null and not (>= 1 and <= 5)) e[field] = [$"{field} must be from 1 to 5 (or left out)."];
    }

    private static void Past(Dictionary<string, string[]> e, string field, DateTimeOffset? value, DateTimeOffset now, bool required)
    {
        if (value is null)
        {
            if (required) e[field] = [$"{field} is required."];
        }
        else if (value > now + FutureSkew || value < new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero))
        {
            e[field] = [$"{field} must be a past time (since 2020)."];
        }
    }

    [GeneratedRegex("^(20[2-9][0-9])(|-H[12]|-Q[1-4]|-[01][0-9])$")]
    private static partial Regex PeriodShape();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_./:-]{0,63}$")]
    private static partial Regex ReferenceShape();
}
