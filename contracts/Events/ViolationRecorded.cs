namespace PublicSafety.Contracts.RoadSafety;

/// <summary>
/// An admissible traffic violation was recorded (RoadSafety service): from one fixation, or from an average-speed section
/// passage. Carries no plate and no evidence: consumers that process the case (administrative proceedings) fetch them
/// from RoadSafety with the roadsafety.read role, where access is checked; statistics need only what is here.
/// </summary>
/// <param name="ViolationId">The violation in RoadSafety.</param>
/// <param name="FixationId">The fixation it comes from (the exit fixation for a section).</param>
/// <param name="DeviceId">The device that witnessed it (the exit device for a section).</param>
/// <param name="Region">ISO 3166-2:KZ code of the device's (or section's) region.</param>
/// <param name="ViolationCode">speeding, red_light, stop_line, lane or average_speed.</param>
/// <param name="ViolatedAt">When it happened, by the device's clock.</param>
/// <param name="RuleVersion">The admissibility rule version the decision used.</param>
public sealed record ViolationRecorded(
    Guid ViolationId, Guid FixationId, Guid DeviceId, string Region, string ViolationCode, DateTimeOffset ViolatedAt, int RuleVersion) : IntegrationEvent;
