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
    string? Road, string? DominantCause, IReadOnlyList<string>? CoveringKinds);

public sealed record HotspotList(HotspotRule Rule, int Total, double ComputedInMs, IReadOnlyList<Hotspot> Items);

public static class Causes
{
    /// <summary>
    /// Section 2.2's causes (speeding 24 %, manoeuvring 18 %, oncoming lane 5 %, overtaking 2 %), running a red light (the
    /// junction cause the red-light and stop-line devices answer) and the rest.
    /// </summary>
    public static readonly IReadOnlySet<string> All = new HashSet<string>
    {
        "speeding", "red_light", "manoeuvring", "oncoming_lane", "overtaking", "drunk_driving", "pedestrian", "road_condition", "rollover", "other",
    };

    /// <summary>
    /// The device kinds that cover a site whose accidents are mostly about a cause: a device only deters what it can witness, so
    /// a lane camera next to a speeding black spot does not make it covered. Speeding: instantaneous-speed devices and the ends
    /// of average-speed sections (a section device outside any section measures nothing). Red light: red-light and stop-line
    /// devices. Car-mounted complexes have no position (their routes are not modelled), so they cover no site. Any other cause,
    /// or no cause of more than half of the site's accidents, keeps any device.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string[]> CoveringKinds = new Dictionary<string, string[]>
    {
        ["speeding"] = ["instant_speed", "section"],
        ["red_light"] = ["red_light", "stop_line"],
    };
}
