namespace PublicSafety.Cameras.Apis;

/// <summary>
/// What a client sends to register or update a camera. Vocabulary values are the snake_case names of
/// <see cref="Model.CameraVocabulary"/> (and <see cref="Model.Lifecycle"/> for the status); a 400 lists the allowed ones.
/// <see cref="VendorClientId"/> is the Keycloak client id of the vendor system allowed to report the camera's heartbeats with
/// <c>cameras.ingest</c>.
/// </summary>
public sealed record CameraRequest(
    string? Name,
    string? Kind,
    string? Region,
    double? Latitude,
    double? Longitude,
    string? Address,
    string? Settlement,
    string? SiteType,
    string? Owner,
    string[]? Capabilities,
    string? ControlCentre,
    DateOnly? InstalledOn,
    string? Status,
    string? VendorClientId = null);

/// <summary>
/// A camera as the API shows it. Never carries the stream endpoint: only whether one is set. <see cref="Synthetic"/>: loaded by the
/// seed command's synthetic dataset, not a real camera.
/// </summary>
public sealed record CameraResponse(
    Guid Id,
    string? Name,
    string Kind,
    string Status,
    string Region,
    double Latitude,
    double Longitude,
    string? Address,
    string? Settlement,
    string? SiteType,
    string? Owner,
    string[] Capabilities,
    string? ControlCentre,
    DateOnly? InstalledOn,
    string Health,
    DateTimeOffset? LastSeenAt,
    bool HasStreamEndpoint,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string? VendorClientId,
    bool Synthetic);

public sealed record CameraPage(IReadOnlyList<CameraResponse> Items, int Page, int PageSize, long Total);

public sealed record TransitionRequest(string? To, string? Reason);

public sealed record StatusChange(string? From, string To, string? Reason, string? ChangedBy, DateTimeOffset ChangedAt);

public sealed record StreamEndpointRequest(string? Url);

public sealed record StreamEndpointResponse(Guid CameraId, string Url);

public sealed record Heartbeat(Guid? CameraId, DateTimeOffset? ObservedAt);

public sealed record HeartbeatBatch(Heartbeat[]? Heartbeats);

/// <summary>
/// How a batch was applied: cameras not registered, not in the caller's region or (for a <c>cameras.ingest</c> caller) not
/// registered to the caller's client are listed in <see cref="Unknown"/>, not applied; the rest of the batch is.
/// </summary>
public sealed record HeartbeatResult(int Accepted, IReadOnlyList<Guid> Unknown);

public sealed record SpatialHit(Guid Id, string? Name, string Kind, string Status, string Region, double Latitude, double Longitude, string Health,
    double? DistanceMeters);

/// <summary>
/// A polygon as one GeoJSON-style ring of [longitude, latitude] positions; the ring is closed if it is not already. Edges are
/// geodesics (PostGIS geography), so a long east-west edge bulges poleward of the parallel.
/// </summary>
public sealed record WithinRequest(double[][]? Ring, string? Status, int? MaxResults);

public sealed record PopulationRequest(int? Population);

public sealed record SettlementCoverage(string Region, string Settlement, int Population, long ActiveCameras, double CamerasPer100Residents,
    double TargetPer100Residents, long RequiredCameras, long Shortfall, bool MeetsTarget);

public sealed record SiteRequest(string? Name, string? Region, double? Latitude, double? Longitude);

public sealed record UncoveredSite(Guid Id, string Region, string Name, double Latitude, double Longitude);

public sealed record Uptime(string Key, double OnlineSeconds, double MonitoredSeconds, double? UptimePercent);

public sealed record SchoolRequest(string? Name, string? Region, string? Settlement, string? Address, string? PanicButton, string? Guard);

public sealed record SchoolEquipmentRequest(string? PanicButton, string? Guard);

public sealed record SchoolCompliance(Guid Id, string Name, string Region, string? Settlement, long Cameras, long WorkingCameras, string PanicButton,
    string Guard, bool Compliant, IReadOnlyList<string> Problems);

/// <summary>A school's systems (14.1) and its linked cameras; <see cref="SchoolCamera.Working"/> is active and online.</summary>
public sealed record SchoolDetail(Guid Id, string Name, string Region, string? Settlement, string? Address, string PanicButton, string Guard,
    bool Compliant, IReadOnlyList<string> Problems, IReadOnlyList<SchoolCamera> Cameras);

public sealed record SchoolCamera(Guid Id, string? Name, string Kind, string Status, string Health, DateTimeOffset? LastSeenAt, bool Working);

public sealed record CrimeProneSite(Guid Id, string Region, string Name, double Latitude, double Longitude, DateTimeOffset DesignatedAt);

public sealed record CrimeProneSitePage(IReadOnlyList<CrimeProneSite> Items, int Page, int PageSize, long Total);

public sealed record PlanRequest(int? PlannedCameras, string? Source);

/// <summary>One row of the installation plan; <see cref="Region"/> <c>KZ</c> is the whole country.</summary>
public sealed record PlanEntry(int Year, string Region, int PlannedCameras, string? Source, string? UpdatedBy, DateTimeOffset UpdatedAt);

/// <summary>
/// Plan against actual for a year and a region (<c>KZ</c>: the whole country). <see cref="PlannedCameras"/> is null where no plan
/// is set for that region and year; then the percentage and the remainder are null too.
/// </summary>
public sealed record InstallationProgress(int Year, string Region, int? PlannedCameras, long InstalledCameras, double? PercentOfPlan,
    long? Remaining, string? PlanSource);
