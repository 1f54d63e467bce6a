namespace PublicSafety.Probation.Evaluation;

public static class ViolationKinds
{
    public const string ExclusionEntry = "exclusion_zone_entry";
    public const string ExclusionApproach = "exclusion_zone_approach";
    public const string CurfewBreach = "curfew_breach";
    public const string Tamper = "tamper";
    public const string NoFix = "no_fix";
    public const string BatteryNotCharged = "battery_not_charged";
}

public static class Severities
{
    public const string Critical = "critical";
    public const string High = "high";
    public const string Medium = "medium";
    public const string Warning = "warning";
}

public sealed record EvidencePoint(DateTimeOffset FixTime, double Latitude, double Longitude, double Accuracy);

/// <summary>
/// A violation the evaluator or a detector found. <see cref="EpisodeKey"/> names it so that a retry, a duplicate or a
/// replay finds the same row; when <see cref="MergeFrom"/> is set, an existing violation of the same kind and zone that
/// started within [MergeFrom, MergeUntil] (open-ended while MergeUntil is null) is the same episode seen earlier from a later fix (a late batch), and is
/// extended instead of duplicated. <see cref="Cause"/> says what set it off when the kind does not (the device event of a tamper).
/// </summary>
public sealed record ViolationCandidate(
    Guid PersonId,
    string Kind,
    string Severity,
    string EpisodeKey,
    Guid? ZoneId,
    Guid? DeviceId,
    DateTimeOffset StartedAt,
    DateTimeOffset? ReceivedAt,
    EvidencePoint? Location,
    IReadOnlyList<EvidencePoint> Evidence,
    bool Suppressed,
    DateTimeOffset? MergeFrom = null,
    DateTimeOffset? MergeUntil = null,
    string? Cause = null);
