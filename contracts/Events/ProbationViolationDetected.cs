namespace PublicSafety.Contracts.Probation;

/// <summary>
/// The Probation service found a violation of a monitored person's rules and raised an alert for the supervising
/// officer. The person is known only by the pseudonymous reference; identity stays in Probation, and so do positions:
/// the violation's evidence and the alert's point are read from Probation with a stated reason, and every such read is
/// audited there. Published as schema version 2: version 1 carried the evidence positions.
/// </summary>
/// <param name="ViolationId">The violation in Probation; one event per violation.</param>
/// <param name="AlertId">The officer's alert for it.</param>
/// <param name="PersonReference">Pseudonymous reference of the monitored person.</param>
/// <param name="Region">ISO 3166-2:KZ code of the supervising unit's region.</param>
/// <param name="Kind">exclusion_zone_entry, exclusion_zone_approach, curfew_breach, tamper, no_fix or battery_not_charged.</param>
/// <param name="Severity">critical, high, medium or warning.</param>
/// <param name="StartedAt">When the violation began (fix or device event time).</param>
/// <param name="DetectedAt">When Probation detected it.</param>
public sealed record ProbationViolationDetected(
    Guid ViolationId,
    Guid AlertId,
    string PersonReference,
    string Region,
    string Kind,
    string Severity,
    DateTimeOffset StartedAt,
    DateTimeOffset DetectedAt) : IntegrationEvent
{
    /// <summary>What set it off when the kind does not say: for tamper, strap_tamper, case_opened, gps_jamming or bracelet_gone.</summary>
    /// <remarks>Optional, so events recorded before it existed still read.</remarks>
    public string? Cause { get; init; }
}
