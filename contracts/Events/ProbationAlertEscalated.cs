namespace PublicSafety.Contracts.Probation;

/// <summary>
/// An officer alert was not acknowledged in time and went to the region's duty unit (Probation service). It carries no
/// position: the duty unit reads the alert's point from Probation with a stated reason, and the read is audited there.
/// Published as schema version 2: version 1 carried the alert's latitude and longitude.
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
/// <param name="HasLocation">Whether the alert has a point to read.</param>
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
    bool HasLocation) : IntegrationEvent
{
    /// <summary>The violation's cause, if its kind does not say (see <see cref="ProbationViolationDetected.Cause"/>).</summary>
    public string? Cause { get; init; }
}
