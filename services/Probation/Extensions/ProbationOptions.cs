namespace PublicSafety.Probation.Extensions;

/// <summary><c>Probation:Detection</c>: the background detectors for silent devices and batteries.</summary>
public sealed class DetectionOptions
{
    public const string Section = "Probation:Detection";

    /// <summary>A bracelet with no fix for longer than this is a no_fix violation.</summary>
    public TimeSpan NoFixAfter { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>A battery reported low and not put on charge within this is a battery_not_charged violation.</summary>
    public TimeSpan ChargeWithin { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How often detectors, the curfew sweeper and escalation look.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Rows each detector handles per transaction.</summary>
    public int BatchSize { get; set; } = 500;
}

/// <summary><c>Probation:Alerts</c>: escalation and cameras.</summary>
public sealed class AlertOptions
{
    public const string Section = "Probation:Alerts";

    /// <summary>An alert not acknowledged within this goes to the region's duty unit.</summary>
    public TimeSpan EscalateAfter { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Radius around the violation's position for nearby cameras.</summary>
    public double CameraRadiusMeters { get; set; } = 500;

    /// <summary>How long to wait for Cameras before the alert says "cameras unavailable".</summary>
    public TimeSpan CameraDeadline { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Duty unit per region code; regions not listed use "<c>duty-unit:&lt;region&gt;</c>".</summary>
    public Dictionary<string, string> DutyUnits { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public string DutyUnitFor(string region) => DutyUnits.TryGetValue(region, out var unit) ? unit : $"duty-unit:{region}";
}

/// <summary><c>Probation:Retention</c>: raw positions are deleted this long after supervision ends.</summary>
public sealed class RetentionOptions
{
    public const string Section = "Probation:Retention";

    public TimeSpan KeepPositionsAfterSupervision { get; set; } = TimeSpan.FromDays(365);

    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);
}
