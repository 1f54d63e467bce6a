namespace PublicSafety.Contracts.CrisisCapacity;

/// <summary>
/// A stay at a crisis centre ended (CrisisCapacity service). The person is known only by the pseudonymous case code;
/// the centre's address is confidential and never travels in events. No contact detail travels either: whoever delivers
/// a survey invitation asks the centre (by case code) for the channel the person chose.
/// </summary>
/// <param name="PlacementId">The placement in CrisisCapacity.</param>
/// <param name="CentreId">The crisis centre whose bed became free.</param>
/// <param name="Region">ISO 3166-2:KZ code of the centre's region.</param>
/// <param name="CaseCode">Pseudonymous case code of the person placed.</param>
/// <param name="EndedAt">When the placement ended.</param>
/// <param name="Category">Bed category of the placement (women, women_with_children, men, minors or detox); null from publishers before schema 2.</param>
/// <param name="SurveyConsent">The person agreed at discharge to be asked about the service received.</param>
/// <param name="SafeChannel">
/// The kind of contact channel the person named as safe at discharge (sms, messenger, email, phone_call, in_person), or
/// null when none was recorded. Only the kind: the contact itself stays in the centre's case file.
/// </param>
public sealed record PlacementEnded(
    Guid PlacementId,
    Guid CentreId,
    string Region,
    string CaseCode,
    DateTimeOffset EndedAt,
    string? Category = null,
    bool SurveyConsent = false,
    string? SafeChannel = null) : IntegrationEvent;
