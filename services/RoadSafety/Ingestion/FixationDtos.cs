namespace PublicSafety.RoadSafety.Ingestion;

public sealed record FixationBatch(FixationRecord?[]? Fixations);

public sealed record FixationRecord(
    Guid? DeviceId, long? Sequence, DateTimeOffset? OccurredAt, string? Plate, int? SpeedKmh, int? LimitKmh, int? Lane,
    string? ViolationCode, int? RedElapsedMs, EvidenceReference?[]? Evidence);

/// <summary>A photo or video held by the vendor, named by its id and fixed by its SHA-256 so that it can't be swapped later.</summary>
public sealed record EvidenceReference(string? Kind, string? Id, string? Sha256);

/// <summary>
/// The answer for one record, in the order posted. <c>status</c>: accepted, duplicate, inadmissible or rejected. A duplicate
/// carries the original's outcome (<c>originalStatus</c>, <c>reason</c>, ids) so that a retried batch learns what happened.
/// <c>ruleVersion</c> is set whenever a rule decided (a rejection for a speed above the rule's maximum too).
/// <c>sectionViolationId</c> is the average-speed violation whose exit is this fixation, once its entry has been matched:
/// in the answer of the batch that matched it, and in every later duplicate answer.
/// </summary>
public sealed record FixationResult(
    int Index, Guid? DeviceId, long? Sequence, string Status, string? Reason, string? OriginalStatus, Guid? FixationId, Guid? ViolationId, int? RuleVersion,
    Guid? SectionViolationId);

public sealed record FixationBatchResult(int Accepted, int Duplicates, int Inadmissible, int Rejected, IReadOnlyList<FixationResult> Results);

public static class FixationStatus
{
    public const string Accepted = "accepted";
    public const string Duplicate = "duplicate";
    public const string Inadmissible = "inadmissible";
    public const string Rejected = "rejected";
}
