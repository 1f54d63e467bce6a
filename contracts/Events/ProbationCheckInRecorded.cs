namespace PublicSafety.Contracts.Probation;

/// <summary>
/// A supervised person reported to their probation officer in person (Probation service): one of the citizen
/// interactions with police whose quality the Feedback service asks about. Carries no identity: the person is known
/// only by the pseudonymous reference, and whether a survey may be sent is decided at the source.
/// </summary>
/// <param name="CheckInId">The check-in in Probation; Feedback deduplicates interactions by it.</param>
/// <param name="Region">ISO 3166-2:KZ code of the supervising unit's region.</param>
/// <param name="Unit">The probation unit (служба пробации) that received the person.</param>
/// <param name="PersonReference">Pseudonymous reference of the supervised person.</param>
/// <param name="CheckedInAt">When the person reported.</param>
/// <param name="SurveyConsent">The person agreed to be asked about the service and gave a safe contact channel.</param>
public sealed record ProbationCheckInRecorded(
    Guid CheckInId,
    string Region,
    string Unit,
    string PersonReference,
    DateTimeOffset CheckedInAt,
    bool SurveyConsent) : IntegrationEvent;
