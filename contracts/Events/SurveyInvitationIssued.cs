namespace PublicSafety.Contracts.Feedback;

/// <summary>
/// A citizen may be asked about a police service they received (Feedback service). A notification system delivers the
/// link; the platform sends no SMS itself and holds no contact details: the deliverer resolves the contact with the
/// source system (<paramref name="SourceSystem"/>, <paramref name="SourceReference"/>) that recorded the person's consent.
/// </summary>
/// <param name="InvitationId">The invitation in Feedback.</param>
/// <param name="InteractionId">The interaction the survey asks about.</param>
/// <param name="Region">ISO 3166-2:KZ code of the unit's region.</param>
/// <param name="Unit">The police unit that served the citizen.</param>
/// <param name="InteractionKind">What happened (call_102, application, offence_report, consultation_1402, crisis_placement, probation_check_in, ...).</param>
/// <param name="SourceSystem">The system that recorded the interaction (the registering client, crisis-capacity or probation).</param>
/// <param name="SourceReference">Its own reference for the interaction (a call card number, a case code, a person reference).</param>
/// <param name="SafeChannel">The kind of channel the person chose (sms, messenger, email, ...), if the source recorded one.</param>
/// <param name="Token">
/// The one-time survey token (256 bits, base64url) to put in the link; Feedback keeps only its SHA-256 hash. It lives in
/// clear only in this message and in Feedback's outbox row until the outbox retention deletes it.
/// </param>
/// <param name="ExpiresAt">After this the token is refused.</param>
/// <param name="SurveyLink">
/// The link to send: the citizens' survey page with the token in the fragment (<c>…/citizen/survey#token</c>), so that the
/// token never reaches a server's access log. Added in schema version 2; null in version 1.
/// </param>
public sealed record SurveyInvitationIssued(
    Guid InvitationId,
    Guid InteractionId,
    string Region,
    string Unit,
    string InteractionKind,
    string SourceSystem,
    string SourceReference,
    string? SafeChannel,
    string Token,
    DateTimeOffset ExpiresAt,
    string? SurveyLink = null) : IntegrationEvent;
