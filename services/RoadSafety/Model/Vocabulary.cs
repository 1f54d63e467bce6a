namespace PublicSafety.RoadSafety.Model;

/// <summary>The closed vocabularies of the registry and of fixations.</summary>
public static class Vocabulary
{
    /// <summary>Stationary kinds (7.2) and the car-mounted complex (7.3). A <c>section</c> device is one end of an average-speed pair.</summary>
    public static readonly IReadOnlySet<string> DeviceKinds = new HashSet<string> { "instant_speed", "red_light", "stop_line", "lane", "section", "mobile" };

    public static readonly IReadOnlySet<string> Owners = new HashSet<string> { "akimat", "road_authority", "police", "concessionaire" };

    public static readonly IReadOnlySet<string> Directions = new HashSet<string> { "increasing_km", "decreasing_km", "both" };

    public const string Speeding = "speeding";
    public const string RedLight = "red_light";
    public const string StopLine = "stop_line";
    public const string Lane = "lane";
    public const string AverageSpeed = "average_speed";

    /// <summary>What each kind of device can witness. A fixation without a code is a passage record (sections use them).</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlySet<string>> CodesByKind = new Dictionary<string, IReadOnlySet<string>>
    {
        ["instant_speed"] = new HashSet<string> { Speeding },
        ["red_light"] = new HashSet<string> { RedLight, StopLine },
        ["stop_line"] = new HashSet<string> { StopLine },
        ["lane"] = new HashSet<string> { Lane },
        ["section"] = new HashSet<string> { Speeding },
        ["mobile"] = new HashSet<string> { Speeding, Lane, StopLine },
    };

    public static readonly IReadOnlySet<string> ViolationCodes = new HashSet<string> { Speeding, RedLight, StopLine, Lane };

    public static readonly IReadOnlySet<string> EvidenceKinds = new HashSet<string> { "photo", "video" };

    public static bool IsStationary(string kind) => kind != "mobile";
}

/// <summary>
/// A device's metrological verification now, one definition for the device view and the list filter, ordered as ingestion
/// decides: <c>valid</c> (a certificate in force), <c>lapsed</c> (none in force and one has expired, even if a renewal is
/// booked for later), <c>not_yet_valid</c> (only certificates that start later), <c>never</c> (no certificate at all).
/// </summary>
public static class VerificationStates
{
    public const string Valid = "valid";
    public const string Lapsed = "lapsed";
    public const string NotYetValid = "not_yet_valid";
    public const string Never = "never";

    public static readonly IReadOnlySet<string> All = new HashSet<string> { Valid, Lapsed, NotYetValid, Never };
}

/// <summary>A device's lifecycle: planned → installed → active ⇄ maintenance → decommissioned.</summary>
public static class Lifecycle
{
    public static readonly IReadOnlySet<string> Statuses = new HashSet<string> { "planned", "installed", "active", "maintenance", "decommissioned" };

    public static readonly IReadOnlySet<string> InitialStatuses = new HashSet<string> { "planned", "installed", "active" };

    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["planned"] = ["installed", "decommissioned"],
        ["installed"] = ["active", "decommissioned"],
        ["active"] = ["maintenance", "decommissioned"],
        ["maintenance"] = ["active", "decommissioned"],
        ["decommissioned"] = [],
    };

    public static IReadOnlyList<string> AllowedFrom(string status) => Allowed.TryGetValue(status, out var next) ? next : [];

    public static bool CanMove(string from, string to) => AllowedFrom(from).Contains(to);
}

/// <summary>Reasons in per-record answers (stable codes; clients switch on them).</summary>
public static class Reasons
{
    public const string NotYourDevice = "not_your_device";
    public const string DeviceNotInService = "device_not_in_service";
    public const string InvalidRecord = "invalid_record";
    public const string FutureTime = "future_time";
    public const string TooOld = "too_old";
    public const string ImplausibleSpeed = "implausible_speed";
    public const string CodeNotSupported = "code_not_supported_by_device";
    public const string EvidenceRequired = "evidence_required";
    public const string DuplicateInBatch = "duplicate_in_batch";

    public const string NotVerified = "not_verified";
    public const string VerificationLapsed = "verification_lapsed";
    public const string TypeApprovalExpired = "type_approval_expired";
    public const string NotCommissioned = "device_not_commissioned";
    public const string UnderMaintenance = "device_under_maintenance";
    public const string WithinSpeedTolerance = "within_speed_tolerance";
    public const string WithinRedLightGrace = "within_red_light_grace";
    public const string ImplausibleAverageSpeed = "implausible_average_speed";
}
