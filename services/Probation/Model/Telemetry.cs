namespace PublicSafety.Probation.Model;

/// <summary>A vendor's batch: positions and device events, each naming the device by the vendor's serial.</summary>
public sealed record TelemetryBatch(PositionReport?[]? Positions, DeviceEventReport?[]? Events);

/// <param name="Accuracy">Horizontal accuracy radius reported by the device, metres.</param>
/// <param name="Speed">Metres per second, if reported.</param>
public sealed record PositionReport(string? Device, DateTimeOffset? FixTime, double? Latitude, double? Longitude, double? Accuracy, double? Speed);

/// <param name="Kind">One of <see cref="DeviceEventKinds.All"/>.</param>
/// <param name="BatteryPercent">Battery level with the event, if reported.</param>
/// <param name="Firmware">Firmware version with the event, if reported.</param>
public sealed record DeviceEventReport(string? Device, DateTimeOffset? At, string? Kind, int? BatteryPercent, string? Firmware);

/// <param name="PositionsBeforeAssignment">Positions not stored: dated before their device's current assignment began (its previous wearer's).</param>
/// <param name="EventsBeforeAssignment">Device events not stored, for the same reason.</param>
public sealed record TelemetryResult(
    int PositionsAccepted, int Duplicates, int EventsAccepted, int Violations, IReadOnlyList<string> UnknownDevices, int PositionsBeforeAssignment,
    int EventsBeforeAssignment);

public static class DeviceEventKinds
{
    public const string StrapTamper = "strap_tamper";
    public const string CaseOpened = "case_opened";
    public const string GpsJamming = "gps_jamming";
    public const string BraceletGone = "bracelet_gone";
    public const string BatteryLow = "battery_low";
    public const string ChargingStarted = "charging_started";
    public const string ChargingStopped = "charging_stopped";
    public const string Status = "status";

    public static readonly string[] All = [StrapTamper, CaseOpened, GpsJamming, BraceletGone, BatteryLow, ChargingStarted, ChargingStopped, Status];

    /// <summary>Events that are violations by themselves, with their severity.</summary>
    public static readonly IReadOnlyDictionary<string, string> Tamper = new Dictionary<string, string>
    {
        [StrapTamper] = Evaluation.Severities.Critical,
        [BraceletGone] = Evaluation.Severities.Critical,
        [CaseOpened] = Evaluation.Severities.High,
        [GpsJamming] = Evaluation.Severities.High,
    };
}
