namespace PublicSafety.Contracts.Probation;

/// <summary>
/// An officer alert was not acknowledged in time and went to the region's duty unit (Probation service).
/// </summary>
/// <param name="AlertId">The alert in Probation.</param>
/// <param name="ViolationId">The violation it is about.</param>
/// <param name="PersonReference">Pseudonymous reference of the monitored person.</param>
/// <param name="Region">ISO 3166-2:KZ code; duty units take their own region's.</param>
/// <param name="DutyUnit">The duty unit (дежурная часть) that receives it.</param>
/// <param name="Kind">The violation's kind.</param>
/// <param name="Severity">The violation's severity.</param>
/// <param name="RaisedAt">When the alert was raised.</param>
/// <param name="EscalatedAt">When it was escalated.</param>
/// <param name="Latitude">Where the violation was seen, if it has a location.</param>
/// <param name="Longitude">Where the violation was seen, if it has a location.</param>
public sealed record ProbationAlertEscalated(
    Guid AlertId,
    Guid ViolationId,
    string PersonReference,
    string Region,
    string DutyUnit,
    string Kind,
    string Severity,
    DateTimeOffset RaisedAt,
    DateTimeOffset EscalatedAt,
    double? Latitude,
    double? Longitude) : IntegrationEvent
{
    /// <summary>The violation's cause, if its kind does not say (see <see cref="ProbationViolationDetected.Cause"/>).</summary>
    public string? Cause { get; init; }
}
