namespace PublicSafety.Feedback.Model;

/// <summary>Closed vocabularies: the names stored in the database and used on the wire.</summary>
public static class InteractionKinds
{
    public const string CrisisPlacement = "crisis_placement";
    public const string ProbationCheckIn = "probation_check_in";

    public static readonly IReadOnlyList<string> All =
    [
        "call_102", "application", "offence_report", "consultation_1402", "traffic_stop", "document_service", "victim_support", "detention",
        CrisisPlacement, ProbationCheckIn,
    ];

    public static bool IsValid(string? v) => v is not null && All.Contains(v);
}

public static class InteractionChannels
{
    public static readonly IReadOnlyList<string> All = ["phone", "in_person", "on_scene", "online", "mobile_app", "written", "partner_service"];

    public static bool IsValid(string? v) => v is not null && All.Contains(v);
}

public static class OffenceCategories
{
    public const string DomesticViolence = "domestic_violence";
    public const string SexualAssault = "sexual_assault";

    public static readonly IReadOnlyList<string> All =
        [DomesticViolence, SexualAssault, "violent_crime", "property_crime", "fraud", "traffic", "public_order", "administrative", "none"];

    public static bool IsValid(string? v) => v is not null && All.Contains(v);
}

/// <summary>Kinds of channel a person may name as safe for an invitation; never the contact itself.</summary>
public static class SafeChannels
{
    public static readonly IReadOnlyList<string> All = ["sms", "messenger", "email", "phone_call", "in_person"];

    public static bool IsValid(string? v) => v is not null && All.Contains(v);
}

/// <summary>The five criteria of individual service in the concept (seed 004, section 4).</summary>
public static class Criteria
{
    public static readonly IReadOnlyList<string> All = ["legality", "thoroughness", "timeliness", "respect", "informedness"];
}

public static class ComplaintStatuses
{
    public const string Received = "received";
    public const string Assigned = "assigned";
    public const string UnderReview = "under_review";
    public const string Resolved = "resolved";
    public const string Forwarded = "forwarded_to_prosecutor";

    public static readonly IReadOnlyList<string> Open = [Received, Assigned, UnderReview];
}

public static class ComplaintOutcomes
{
    public static readonly IReadOnlyList<string> All = ["upheld", "not_upheld"];
}

public static class ComplaintCategories
{
    public static readonly IReadOnlyList<string> All =
        ["rudeness", "inaction", "unlawful_detention", "excessive_force", "corruption", "procedural_violation", "discrimination", "other"];

    public static bool IsValid(string? v) => v is not null && All.Contains(v);
}

/// <summary>Entertainment establishments (увеселительные/развлекательные заведения) rated under action plan 5.2.</summary>
public static class VenueKinds
{
    public static readonly IReadOnlyList<string> All = ["bar", "nightclub", "karaoke", "restaurant", "cafe", "hookah_lounge", "billiards", "casino", "sauna", "other"];

    public static bool IsValid(string? v) => v is not null && All.Contains(v);
}

/// <summary>Types of offence reported through 102 that count toward a venue's rating.</summary>
public static class VenueSignalTypes
{
    public static readonly IReadOnlyList<string> All =
        ["violence", "sexual_offence", "weapons", "drugs", "sale_to_minors", "brawl", "theft", "fraud", "drunkenness", "public_order", "noise"];

    public static bool IsValid(string? v) => v is not null && All.Contains(v);
}
