namespace PublicSafety.RoadSafety.Hotspots;

public sealed record AccidentRequest(
    string? ExternalId, DateTimeOffset? OccurredAt, string? Region, string? Road, decimal? KmMarker, double? Latitude, double? Longitude,
    int? Deaths, int? Injuries, string? Cause);

public sealed record AccidentBatch(AccidentRequest?[]? Accidents);

public sealed record AccidentImportResult(int Imported, int AlreadyPresent);

public sealed record AccidentView(Guid Id, string? ExternalId, DateTimeOffset OccurredAt, string Region, string? Road, decimal? KmMarker, double Latitude,
    double Longitude, int Deaths, int Injuries, string Cause);

/// <summary>The rule a computation used, echoed so that a list can be reproduced.</summary>
public sealed record HotspotRule(int MinAccidents, double DistanceMeters, int Months, DateTimeOffset AsOf, double CoverageDistanceMeters,
    double DeathWeight, double InjuryWeight);

public sealed record NearbyCameraView(Guid Id, string? Name, string Kind, string Status, double DistanceMeters);

/// <summary><c>status</c>: available (with the list), unavailable (the Cameras service did not answer) or not_requested.</summary>
public sealed record HotspotCameras(string Status, IReadOnlyList<NearbyCameraView> Items);

public sealed record Hotspot(
    int Rank, Guid AnchorAccidentId, string Region, double Latitude, double Longitude, double RadiusMeters, int Accidents, int Deaths, int Injuries,
    double Harm, DateTimeOffset FirstAt, DateTimeOffset LastAt, bool Covered, Guid? NearestDeviceId, double? NearestDeviceMeters, HotspotCameras Cameras,
    string? Road);

public sealed record HotspotList(HotspotRule Rule, int Total, double ComputedInMs, IReadOnlyList<Hotspot> Items);

public static class Causes
{
    /// <summary>Section 2.2's causes (speeding 24 %, manoeuvring 18 %, oncoming lane 5 %, overtaking 2 %) and the rest.</summary>
    public static readonly IReadOnlySet<string> All = new HashSet<string>
    {
        "speeding", "manoeuvring", "oncoming_lane", "overtaking", "drunk_driving", "pedestrian", "road_condition", "rollover", "other",
    };
}
