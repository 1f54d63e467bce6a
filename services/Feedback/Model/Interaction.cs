namespace PublicSafety.Feedback.Model;

public static class SurveyDecisions
{
    public const string Invited = "invited";
    public const string Suppressed = "suppressed";
    public const string NoConsent = "no_consent";
}

/// <summary>A service a citizen received from police, as its source reported it. No identity, no contact.</summary>
public sealed record InteractionData(
    string SourceSystem, string SourceReference, string Kind, string? OffenceCategory, string Region, string Unit, string Channel,
    DateTimeOffset OccurredAt, bool SurveyConsent, string? SafeChannel, bool Synthetic = false);

public sealed record Interaction(
    Guid Id, string SourceSystem, string SourceReference, string Kind, string? OffenceCategory, string Region, string Unit, string Channel,
    DateTimeOffset OccurredAt, DateTimeOffset RecordedAt, string Survey, string? SuppressedBy, Guid? InvitationId, DateTimeOffset? InvitationExpiresAt,
    DateTimeOffset? InvitationUsedAt);

/// <summary>What registering an interaction did: created it (and maybe an invitation), or found the same source reference.</summary>
public sealed record RegistrationOutcome(Interaction Interaction, bool Created);
