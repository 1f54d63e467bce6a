namespace PublicSafety.Contracts.Feedback;

/// <summary>
/// A complaint about police conduct was not resolved within its review deadline (Feedback service). Published once per
/// complaint, by one replica. Carries no complainant data and no text.
/// </summary>
/// <param name="ComplaintId">The complaint in Feedback.</param>
/// <param name="ReferenceCode">The code the complainant follows it with.</param>
/// <param name="Region">ISO 3166-2:KZ code of the region of the unit complained about.</param>
/// <param name="Unit">The unit complained about.</param>
/// <param name="Status">Where the review stands (received, assigned, under_review).</param>
/// <param name="ReceivedAt">When the complaint was received.</param>
/// <param name="DueAt">The review deadline that passed.</param>
public sealed record ComplaintOverdue(
    Guid ComplaintId, string ReferenceCode, string Region, string Unit, string Status, DateTimeOffset ReceivedAt, DateTimeOffset DueAt)
    : IntegrationEvent;
