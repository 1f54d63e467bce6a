using System.Text.Json.Serialization;
using PublicSafety.CrisisCapacity.Infrastructure;
using PublicSafety.CrisisCapacity.Model;

namespace PublicSafety.CrisisCapacity.Apis;

public sealed record ServicesDto(bool Psychologist, bool Lawyer, bool MedicalCare, bool AcceptsChildren, bool Accessible);

public sealed record BedCountDto(string? Category, int? Total, int? OutOfService);

/// <summary>A facility as a manager states it; every field is checked by <see cref="Validation.Facility"/>.</summary>
public sealed record FacilityRequest(
    string? Kind, string? Name, string? Region, string? Settlement, double? Latitude, double? Longitude, string? ConfidentialAddress,
    string? Phone, string? Email, ServicesDto? Services, bool? OpenAtNight, IReadOnlyList<BedCountDto?>? Beds);

public sealed record AvailabilityDto(string Category, int Total, int OutOfService, int Occupied, int Reserved, int Available);

/// <summary>
/// A facility as a caller may see it. The address and the exact location are confidential: they are present only for
/// crisis.placement and crisis.manage inside their scope (and omitted from the JSON otherwise, not sent as null).
/// </summary>
public sealed record FacilityResponse(
    Guid Id, string Kind, string Name, string Region, string Settlement,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ConfidentialAddress,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Latitude,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Longitude,
    string? Phone, string? Email, ServicesDto Services, bool OpenAtNight, bool Synthetic, IReadOnlyList<AvailabilityDto> Availability)
{
    public static FacilityResponse From(Facility f, bool confidential) => new(
        f.Id, f.Data.Kind, f.Data.Name, f.Data.Region, f.Data.Settlement,
        confidential ? f.Data.ConfidentialAddress : null, confidential ? f.Data.Latitude : null, confidential ? f.Data.Longitude : null,
        f.Data.Phone, f.Data.Email,
        new ServicesDto(f.Data.Services.Psychologist, f.Data.Services.Lawyer, f.Data.Services.MedicalCare, f.Data.Services.AcceptsChildren, f.Data.Services.Accessible),
        f.Data.OpenAtNight, f.Synthetic,
        f.Availability.Select(a => new AvailabilityDto(a.Category, a.Total, a.OutOfService, a.Occupied, a.Reserved, a.Available)).ToArray());
}

/// <summary>
/// Free beds of one category of one facility. Distance is rounded to 100 m where the caller may see the address, and to
/// whole grid cells from the middle of the centre's cell otherwise (<see cref="LocationGrid"/>).
/// </summary>
public sealed record AvailableBedsDto(
    Guid FacilityId, string Name, string Kind, string Region, string Settlement, string Category, int Available, int Total,
    double? DistanceKm, bool AcceptsChildren, bool Accessible, bool OpenAtNight)
{
    public static AvailableBedsDto From(AvailableBedsRow r) => new(
        r.FacilityId, r.Name, r.Kind, r.Region, r.Settlement, r.Category, r.Available, r.Total,
        r.DistanceMeters is { } d ? LocationGrid.RoundMeters(d, r.Exact) / 1000 : null, r.AcceptsChildren, r.Accessible, r.OpenAtNight);
}

public sealed record ReservationRequest(Guid? FacilityId, string? Category, string? CaseCode, int? Beds);

public sealed record ReservationResponse(
    Guid Id, Guid FacilityId, string Region, string Category, string CaseCode, int Beds, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, string Status)
{
    public static ReservationResponse From(Reservation r) => new(r.Id, r.FacilityId, r.Region, r.Category, r.CaseCode, r.Beds, r.CreatedAt, r.ExpiresAt, r.Status);
}

public sealed record PlacementRequest(IReadOnlyList<int>? ChildrenAges);

/// <summary>Admission without a hold; every accompanying child takes a bed too.</summary>
public sealed record AdmissionRequest(Guid? FacilityId, string? Category, string? CaseCode, IReadOnlyList<int>? ChildrenAges);

/// <summary>
/// Ends a placement. <c>SurveyConsent</c> and <c>SafeChannel</c> record whether the person agreed to be asked about the
/// service and which kind of channel they consider safe; the contact itself is never sent here.
/// </summary>
public sealed record DischargeRequest(string? Reason, bool? SurveyConsent = null, string? SafeChannel = null);

public sealed record PlacementResponse(
    Guid Id, Guid? ReservationId, Guid FacilityId, string Region, string Category, string CaseCode, int Beds, IReadOnlyList<int> ChildrenAges,
    DateTimeOffset AdmittedAt, DateTimeOffset? DischargedAt, string? DischargeReason, double? LengthOfStayDays, bool SurveyConsent, string? SafeChannel)
{
    public static PlacementResponse From(Placement p) => new(
        p.Id, p.ReservationId, p.FacilityId, p.Region, p.Category, p.CaseCode, p.Beds, p.ChildrenAges, p.AdmittedAt, p.DischargedAt, p.DischargeReason,
        p.DischargedAt is { } end ? Math.Round((end - p.AdmittedAt).TotalDays, 2) : null, p.Survey?.Consent ?? false, p.Survey?.SafeChannel);
}
