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

public sealed record Reservation(
    Guid Id, Guid FacilityId, string Region, string Category, string CaseCode, int Beds, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, string Status);

public sealed record Placement(
    Guid Id, Guid? ReservationId, Guid FacilityId, string Region, string Category, string CaseCode, int Beds, int[] ChildrenAges,
    DateTimeOffset AdmittedAt, DateTimeOffset? DischargedAt, string? DischargeReason);

public sealed record ReserveCommand(Guid FacilityId, string Category, string CaseCode, int Beds, string ClientId, string IdempotencyKey);

public sealed record AdmitCommand(Guid FacilityId, string Category, string CaseCode, int[] ChildrenAges, string ClientId, string IdempotencyKey)
{
    /// <summary>The person and each accompanying child take a bed.</summary>
    public int Beds => 1 + ChildrenAges.Length;
}
