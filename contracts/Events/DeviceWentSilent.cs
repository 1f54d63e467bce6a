namespace PublicSafety.Contracts.RoadSafety;

/// <summary>
/// An active traffic-violation fixation device stopped reporting (RoadSafety service): its vendor posted nothing for it
/// for longer than the configured silence. The road authority and the vendor's support act on it.
/// </summary>
/// <param name="DeviceId">The device in the RoadSafety registry.</param>
/// <param name="Region">ISO 3166-2:KZ code of the device's region.</param>
/// <param name="LastReportAt">When its vendor last posted for it; null if never.</param>
public sealed record DeviceWentSilent(Guid DeviceId, string Region, DateTimeOffset? LastReportAt) : IntegrationEvent;
