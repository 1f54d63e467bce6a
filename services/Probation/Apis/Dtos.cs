using PublicSafety.Probation.Background;

namespace PublicSafety.Probation.Apis;

public sealed record PersonRequest(
    string? Category, string? Region, string? CourtOrder, string? FullName, string? NationalId, DateOnly? BirthDate,
    DateTimeOffset? SupervisionStart, DateTimeOffset? SupervisionEnd);

/// <summary>Restricted fields: only the supervising officer receives them.</summary>
public sealed record PersonIdentityDto(string FullName, string? NationalId, DateOnly? BirthDate, string CourtOrder);

public sealed record PersonDto(
    Guid Id, string Reference, string Category, string Region, string OfficerSubject, DateTimeOffset SupervisionStart, DateTimeOffset SupervisionEnd,
    bool SupervisedByCaller, PersonIdentityDto? Identity);

public sealed record SupervisionRequest(DateTimeOffset? SupervisionEnd, string? OfficerSubject);

public sealed record CurfewDto(int[]? Days, string? Start, string? End);

public sealed record ZoneRequest(string? Kind, string? Name, double? Latitude, double? Longitude, double? RadiusMeters, double? OuterRadiusMeters, CurfewDto[]? Curfews);

public sealed record ZoneDto(Guid Id, string Kind, string Name, double Latitude, double Longitude, double RadiusMeters, double? OuterRadiusMeters, CurfewDto[] Curfews);

public sealed record ExceptionRequest(string? Reason, DateTimeOffset? StartsAt, DateTimeOffset? EndsAt, string? Note);

public sealed record ExceptionDto(Guid Id, string Reason, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string ApprovedBy, string? Note);

public sealed record CustodyRequest(DateTimeOffset? StartsAt, DateTimeOffset? EndsAt, string? Note);

public sealed record CustodyDto(Guid Id, DateTimeOffset StartsAt, DateTimeOffset? EndsAt, string RecordedBy, string? Note, string? EndedBy);

/// <param name="EndsAt">When the person was released; now if not given.</param>
public sealed record CustodyEndRequest(DateTimeOffset? EndsAt);

public sealed record CheckInRequest(string? Unit, DateTimeOffset? CheckedInAt, bool? SurveyConsent);

public sealed record CheckInDto(Guid Id, Guid PersonId, string Unit, DateTimeOffset CheckedInAt, bool SurveyConsent);

public sealed record DeviceRequest(string? Vendor, string? Serial, string? Kind, string? Region, string? Firmware);

public sealed record DeviceDto(
    Guid Id, string Vendor, string Serial, string Kind, string Region, string Status, string? Firmware, int? BatteryPercent, bool Charging,
    DateTimeOffset? LowBatterySince, DateTimeOffset? LastContactAt, DateTimeOffset? LastFixAt, string Health, Guid? PersonId, DateTimeOffset? AssignedAt);

public sealed record AssignRequest(Guid? PersonId);

public sealed record ReleaseRequest(string? Status);

public sealed record DeviceStatusRequest(string? Status);

public sealed record AssignmentDto(Guid Id, Guid PersonId, DateTimeOffset AssignedAt, string AssignedBy, DateTimeOffset? EndedAt, string? EndStatus);

public sealed record PositionDto(DateTimeOffset FixTime, double Latitude, double Longitude, double Accuracy, double? Speed, Guid DeviceId);

public sealed record LocationHistoryDto(Guid PersonId, DateTimeOffset From, DateTimeOffset To, bool Truncated, IReadOnlyList<PositionDto> Positions);

/// <param name="ViolationId">Set when the read was a violation's evidence or an alert's location; null for a history read.</param>
/// <param name="AlertId">Set when the read was an alert's location (and the cameras near it).</param>
public sealed record LocationReadDto(
    Guid Id, string Reader, string Reason, DateTimeOffset From, DateTimeOffset To, DateTimeOffset ReadAt, int Positions, Guid? ViolationId, Guid? AlertId);

public sealed record EvidenceDto(DateTimeOffset FixTime, double Latitude, double Longitude, double AccuracyMeters);

/// <param name="Cause">What set it off when the kind does not say: for tamper, the device event (strap_tamper, case_opened, ...).</param>
/// <param name="EvidencePositions">How many evidence positions the violation keeps; they are read (with a reason, audited) from its evidence.</param>
public sealed record ViolationDto(
    Guid Id, string Kind, string? Cause, string Severity, Guid? ZoneId, Guid? DeviceId, DateTimeOffset StartedAt, DateTimeOffset DetectedAt, bool Suppressed,
    int EvidencePositions);

public sealed record ViolationEvidenceDto(Guid ViolationId, Guid PersonId, IReadOnlyList<EvidenceDto> Evidence);

/// <param name="Cause">As <see cref="ViolationDto.Cause"/>.</param>
/// <param name="HasLocation">Whether the alert has a point; it is read (with a reason, audited) from the alert's location, with the cameras near it.</param>
/// <param name="CamerasStatus">pending, attached, unavailable or not_applicable (no point).</param>
public sealed record AlertDto(
    Guid Id, Guid ViolationId, Guid PersonId, string PersonReference, string Kind, string? Cause, string Severity, string Status, DateTimeOffset CreatedAt,
    DateTimeOffset? AcknowledgedAt, DateTimeOffset? ResolvedAt, string? ResolutionNote, DateTimeOffset? EscalatedAt, string? DutyUnit,
    bool HasLocation, string CamerasStatus);

/// <summary>Where the alert's violation was seen and the cameras near it: a location read, audited like the history.</summary>
public sealed record AlertLocationDto(
    Guid AlertId, Guid ViolationId, Guid PersonId, double? Latitude, double? Longitude, string CamerasStatus, IReadOnlyList<NearbyCameraInfo> Cameras);

public sealed record ResolveRequest(string? Note);
