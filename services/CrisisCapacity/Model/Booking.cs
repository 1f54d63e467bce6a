namespace PublicSafety.CrisisCapacity.Model;

public static class ReservationStatuses
{
    public const string Held = "held";
    public const string Converted = "converted";
    public const string Expired = "expired";
    public const string Released = "released";
}

public static class DischargeReasons
{
    public static readonly IReadOnlyList<string> All =
        ["programme_completed", "moved_to_other_facility", "returned_home", "independent_housing", "left_voluntarily", "rule_violation", "other"];

    public static bool IsValid(string? reason) => reason is not null && All.Contains(reason);
}

/// <summary>
/// Kinds of contact channel a person may name as safe at discharge for a survey about the service received. Only the
/// kind is recorded here; the contact stays in the centre's case file (see Feedback's README).
/// </summary>
public static class SafeChannels
{
    public static readonly IReadOnlyList<string> All = ["sms", "messenger", "email", "phone_call", "in_person"];

    public static bool IsValid(string? channel) => channel is not null && All.Contains(channel);
}

/// <summary>What the person agreed to at discharge about being asked for feedback.</summary>
public sealed record SurveyConsent(bool Consent, string? SafeChannel)
{
    public static readonly SurveyConsent None = new(false, null);
}

/// <param name="BookedBy">The client and user that made the hold (<see cref="CrisisAccess.Caller"/>).</param>
public sealed record Reservation(
    Guid Id, Guid FacilityId, string Region, string Category, string CaseCode, int Beds, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, string Status,
    string? BookedBy = null);

/// <param name="BookedBy">The client and user that admitted the person, or made the hold it came from.</param>
public sealed record Placement(
    Guid Id, Guid? ReservationId, Guid FacilityId, string Region, string Category, string CaseCode, int Beds, int[] ChildrenAges,
    DateTimeOffset AdmittedAt, DateTimeOffset? DischargedAt, string? DischargeReason, SurveyConsent? Survey = null, string? BookedBy = null);

public sealed record ReserveCommand(Guid FacilityId, string Category, string CaseCode, int Beds, string ClientId, string IdempotencyKey);

public sealed record AdmitCommand(Guid FacilityId, string Category, string CaseCode, int[] ChildrenAges, string ClientId, string IdempotencyKey)
{
    /// <summary>The person and each accompanying child take a bed.</summary>
    public int Beds => 1 + ChildrenAges.Length;
}
