namespace PublicSafety.RoadSafety.Extensions;

/// <summary><c>RoadSafety</c>: ingestion limits, the silence detector, hotspot defaults and the synthetic seed.</summary>
public sealed class RoadSafetyOptions
{
    public const string Section = "RoadSafety";

    /// <summary>How far ahead of our clock a device's time may be (clock drift), before a record is rejected as future.</summary>
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Older fixations are rejected: a backlog older than this is a matter for the vendor, not a silent import.</summary>
    public TimeSpan MaxFixationAge { get; set; } = TimeSpan.FromDays(30);

    /// <summary>A device that posted nothing for this long is silent (<c>DeviceWentSilent</c>).</summary>
    public TimeSpan SilentAfter { get; set; } = TimeSpan.FromMinutes(30);

    public TimeSpan SilenceSweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Plates and evidence of fixations that gave no violation are erased this long after they were received.</summary>
    public TimeSpan PlateRetention { get; set; } = TimeSpan.FromDays(90);

    public TimeSpan PlateRetentionInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Hotspot rule defaults (each can be overridden per request).</summary>
    public int HotspotMinAccidents { get; set; } = 3;

    public double HotspotDistanceMeters { get; set; } = 1000;

    public int HotspotMonths { get; set; } = 12;

    /// <summary>A hotspot is uncovered when no active, verified device is within this distance of its centre.</summary>
    public double CoverageDistanceMeters { get; set; } = 1000;

    /// <summary>Harm = deaths × DeathWeight + injuries × InjuryWeight (see README).</summary>
    public double DeathWeight { get; set; } = 10;

    public double InjuryWeight { get; set; } = 1;

    /// <summary>Radius of the Cameras search around a hotspot's centre.</summary>
    public double CameraRadiusMeters { get; set; } = 500;

    public TimeSpan CameraCallDeadline { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Loads the synthetic dataset at start-up (idempotent); set in the Production environment, the service refuses to start.</summary>
    public bool SeedSynthetic { get; set; }
}
