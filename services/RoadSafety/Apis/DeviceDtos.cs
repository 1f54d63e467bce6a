using PublicSafety.RoadSafety.Model;

namespace PublicSafety.RoadSafety.Apis;

public sealed record DeviceRequest(
    string? Kind, string? VendorClientId, string? Vendor, string? Model, string? SerialNumber,
    string? ApprovalNumber, DateOnly? ApprovalValidUntil, string? Region, string? Road, decimal? KmMarker, string? Direction,
    double? Latitude, double? Longitude, string? Owner, string? PatrolVehicle, string? Status, DateOnly? InstalledOn, DateOnly? CommissionedOn);

public sealed record DeviceResponse(
    Guid Id, string Kind, string VendorClientId, string Vendor, string Model, string SerialNumber,
    string ApprovalNumber, DateOnly ApprovalValidUntil, string Region, string? Road, decimal? KmMarker, string? Direction,
    double? Latitude, double? Longitude, string Owner, string? PatrolVehicle, string Status, DateOnly? InstalledOn, DateOnly? CommissionedOn,
    DateOnly? DecommissionedOn, DateTimeOffset? LastReportAt, DateTimeOffset? SilentSince, VerificationResponse? CurrentVerification, string Verification)
{
    /// <summary>Kept for clients that read the flag: <c>verification == "lapsed"</c>.</summary>
    public bool VerificationLapsed => Verification == VerificationStates.Lapsed;
}

public sealed record DevicePage(IReadOnlyList<DeviceResponse> Items, int Page, int PageSize, long Total);

public sealed record TransitionRequest(string? To, DateOnly? On);

public sealed record VerificationRequest(string? CertificateNumber, string? VerifyingBody, DateTimeOffset? VerifiedAt, DateTimeOffset? ValidUntil);

public sealed record VerificationResponse(Guid Id, string CertificateNumber, string VerifyingBody, DateTimeOffset VerifiedAt, DateTimeOffset ValidUntil);

public sealed record RouteRequest(string? Road, DateTimeOffset? StartedAt, DateTimeOffset? EndedAt, string? Description);

public sealed record RouteResponse(Guid Id, string Road, DateTimeOffset StartedAt, DateTimeOffset EndedAt, string? Description);

public sealed record SectionRequest(string? Name, Guid? EntryDeviceId, Guid? ExitDeviceId, double? LengthMeters, int? SpeedLimitKmh, int? MaxTravelSeconds);

public sealed record SectionResponse(Guid Id, string Name, string Region, Guid EntryDeviceId, Guid ExitDeviceId, double LengthMeters, int SpeedLimitKmh, int MaxTravelSeconds);

public sealed record RuleRequest(DateTimeOffset? EffectiveFrom, int? SpeedToleranceKmh, int? RedLightGraceMs, int? MaxPlausibleSpeedKmh, int? MinSectionSeconds, string? Note);

public sealed record RuleResponse(int Version, DateTimeOffset EffectiveFrom, int SpeedToleranceKmh, int RedLightGraceMs, int MaxPlausibleSpeedKmh, int MinSectionSeconds, string? Note);
