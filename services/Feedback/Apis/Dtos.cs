using System.Text.Json.Serialization;
using PublicSafety.Feedback.Model;

namespace PublicSafety.Feedback.Apis;

/// <summary>
/// An interaction as a police system reports it. <c>Reference</c> is the system's own reference (call card, application
/// number) and deduplicates retries; <c>SurveyConsent</c> says the citizen agreed to be asked; <c>SafeChannel</c> is the
/// kind of channel they chose. No name, phone or ID number is accepted.
/// </summary>
public sealed record InteractionRequest(
    string? Reference, string? Kind, string? OffenceCategory, string? Region, string? Unit, string? Channel, DateTimeOffset? OccurredAt,
    bool? SurveyConsent, string? SafeChannel);

public sealed record InvitationDto(Guid Id, DateTimeOffset ExpiresAt, bool Answered);

public sealed record InteractionResponse(
    Guid Id, string Source, string Reference, string Kind, string? OffenceCategory, string Region, string Unit, string Channel,
    DateTimeOffset OccurredAt, DateTimeOffset RecordedAt, string Survey, string? SuppressedBy,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] InvitationDto? Invitation)
{
    public static InteractionResponse From(Interaction i) => new(
        i.Id, i.SourceSystem, i.SourceReference, i.Kind, i.OffenceCategory, i.Region, i.Unit, i.Channel, i.OccurredAt, i.RecordedAt, i.Survey,
        i.SuppressedBy, i.InvitationId is { } id ? new InvitationDto(id, i.InvitationExpiresAt!.Value, i.InvitationUsedAt is not null) : null);
}

public sealed record TokenRequest(string? Token);

/// <summary>Scores 1..5; the overall score is required, a criterion may be skipped.</summary>
public sealed record SurveySubmission(
    string? Token, int? Overall, int? Legality, int? Thoroughness, int? Timeliness, int? Respect, int? Informedness, string? Comment);

public sealed record UnsolicitedFeedback(
    string? Region, string? Unit, string? InteractionKind, string? Channel,
    int? Overall, int? Legality, int? Thoroughness, int? Timeliness, int? Respect, int? Informedness, string? Comment);

public sealed record SurveyDescriptionResponse(
    string InteractionKind, string Channel, string Region, DateOnly OccurredOn, DateTimeOffset ExpiresAt, IReadOnlyList<string> Criteria);

public sealed record ResponseAccepted(Guid Id, bool Verified);

public sealed record CriterionIndicator(string Criterion, long Answered, long Satisfied, double? SatisfiedShare, double? MeanScore);

public sealed record ResponseIndicator(long Responses, long Satisfied, double? SatisfiedShare, IReadOnlyList<CriterionIndicator> Criteria)
{
    public static ResponseIndicator From(ResponseCounts c) => new(c.Responses, c.Satisfied, Share(c.Satisfied, c.Responses),
        Model.Criteria.All.Zip(c.Criteria, (name, k) =>
            new CriterionIndicator(name, k.Answered, k.Satisfied, Share(k.Satisfied, k.Answered), k.Answered == 0 ? null : Math.Round((double)k.Sum / k.Answered, 2))).ToArray());

    public static double? Share(long part, long whole) => whole == 0 ? null : Math.Round((double)part / whole, 4);
}

/// <summary>One group of the breakdown: verified (invited) and unverified (unsolicited) responses are never mixed.</summary>
public sealed record IndicatorGroupDto(string Key, ResponseIndicator Verified, ResponseIndicator Unverified, bool? MeetsTarget);

public sealed record ResponseRateDto(long Invitations, long Answered, double? Rate);

public sealed record SuppressedDto(string Rule, long Count);

public sealed record IndicatorsResponse(
    IReadOnlyList<string> Regions, DateTimeOffset From, DateTimeOffset To, double? Target, int? TargetYear, ResponseIndicator Verified,
    ResponseIndicator Unverified, bool? MeetsTarget, ResponseRateDto ResponseRate, IReadOnlyList<SuppressedDto> SuppressedInvitations,
    string? GroupBy, IReadOnlyList<IndicatorGroupDto> Breakdown, PreviousIndicatorsDto Previous, ShareChangeDto SatisfiedShareChange);

/// <summary>The same figures for the period before the one asked, of the same length (no breakdown).</summary>
public sealed record PreviousIndicatorsDto(
    DateTimeOffset From, DateTimeOffset To, double? Target, int? TargetYear, ResponseIndicator Verified, ResponseIndicator Unverified, bool? MeetsTarget,
    ResponseRateDto ResponseRate, IReadOnlyList<SuppressedDto> SuppressedInvitations);

/// <summary>Satisfied share now minus in the previous period, in percentage points; null when either period has no responses.</summary>
public sealed record ShareChangeDto(double? Verified, double? Unverified)
{
    public static double? Points(ResponseCounts now, ResponseCounts before) => now.Responses == 0 || before.Responses == 0 ? null
        : Math.Round(((double)now.Satisfied / now.Responses - (double)before.Satisfied / before.Responses) * 100, 2);
}

public sealed record CommentDto(Guid Id, string Region, string? Unit, string? InteractionKind, DateTimeOffset SubmittedAt, bool Verified, int Overall, string Comment);

public sealed record AlertDto(string Region, string Unit, DateTimeOffset RaisedAt, double SatisfiedShare, int Responses);

public sealed record ComplaintRequest(string? Region, string? Unit, string? Category, string? Description, DateTimeOffset? IncidentAt);

public sealed record ComplaintStepRequest(string? Action, string? Reason, string? Assignee, string? Outcome);

public sealed record ComplaintStepDto(string Status, string Actor, string? Reason, DateTimeOffset At);

public sealed record ComplaintResponse(
    Guid Id, string ReferenceCode, string Region, string Unit, string Category, string Description, DateTimeOffset? IncidentAt, string Source,
    string Status, string? Outcome, string? Assignee, DateTimeOffset ReceivedAt, DateTimeOffset DueAt, DateTimeOffset UpdatedAt,
    DateTimeOffset? ClosedAt, bool Overdue, IReadOnlyList<ComplaintStepDto> Steps)
{
    public static ComplaintResponse From(Complaint c, DateTimeOffset now) => new(
        c.Id, c.ReferenceCode, c.Region, c.Unit, c.Category, c.Description, c.IncidentAt, c.Source, c.Status, c.Outcome, c.Assignee, c.ReceivedAt,
        c.DueAt, c.UpdatedAt, c.ClosedAt, c.IsOpen && c.DueAt <= now, c.Steps.Select(s => new ComplaintStepDto(s.Status, s.Actor, s.Reason, s.At)).ToArray());
}

/// <summary>What a complainant sees by reference code: the status and its dates; never who handled it or internal reasons.</summary>
public sealed record PublicComplaintStatus(
    string ReferenceCode, string Status, string StatusNote, string? Outcome, DateTimeOffset ReceivedAt, DateTimeOffset DueAt, DateTimeOffset UpdatedAt,
    IReadOnlyList<PublicStep> History)
{
    public static PublicComplaintStatus From(Complaint c) => new(c.ReferenceCode, c.Status, StatusNotes.For(c.Status, c.Outcome), c.Outcome,
        c.ReceivedAt, c.DueAt, c.UpdatedAt, c.Steps.Select(s => new PublicStep(s.Status, StatusNotes.For(s.Status, null), s.At)).ToArray());
}

public sealed record PublicStep(string Status, string Note, DateTimeOffset At);

public sealed record ComplaintReceipt(string ReferenceCode, string Status, DateTimeOffset ReceivedAt, DateTimeOffset DueAt);

public static class StatusNotes
{
    public static string For(string status, string? outcome) => (status, outcome) switch
    {
        (ComplaintStatuses.Received, _) => "The complaint was received and is waiting for a reviewer.",
        (ComplaintStatuses.Assigned, _) => "A reviewer was assigned.",
        (ComplaintStatuses.UnderReview, _) => "The complaint is under review.",
        (ComplaintStatuses.Resolved, "upheld") => "Review finished: the complaint was upheld.",
        (ComplaintStatuses.Resolved, "not_upheld") => "Review finished: the complaint was not upheld.",
        (ComplaintStatuses.Resolved, _) => "Review finished.",
        (ComplaintStatuses.Forwarded, _) => "The complaint was forwarded to the prosecutor's office.",
        _ => status,
    };
}

public sealed record VenueRequest(string? Name, string? Kind, string? Region, string? Settlement, string? Address, double? Latitude, double? Longitude);

public sealed record VenueResponse(
    Guid Id, string Name, string Kind, string Region, string Settlement, string Address, double? Latitude, double? Longitude, bool Active, bool Synthetic)
{
    public static VenueResponse From(Venue v) => new(v.Id, v.Data.Name, v.Data.Kind, v.Data.Region, v.Data.Settlement, v.Data.Address,
        v.Data.Latitude, v.Data.Longitude, v.Active, v.Synthetic);
}

public sealed record SignalRequest(string? CallReference, string? SignalType, DateTimeOffset? ReceivedAt);

public sealed record SignalResponse(Guid Id, Guid VenueId, string SignalType, DateTimeOffset ReceivedAt);

public sealed record RatingDto(
    Guid VenueId, string Name, string Kind, string Region, string Settlement, string Address, int Signals, double WeightedScore, string Grade, int RankInRegion)
{
    public static RatingDto From(VenueRating r) => new(r.VenueId, r.Name, r.Kind, r.Region, r.Settlement, r.Address, r.Signals, r.WeightedScore, r.Grade, r.RankInRegion);
}

public sealed record RatingResponse(string? Period, bool Published, IReadOnlyList<RatingDto> Venues);
