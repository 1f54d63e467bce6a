namespace PublicSafety.Contracts.Feedback;

/// <summary>
/// A police unit's satisfaction over the last 30 days fell below the concept's target for the year, with enough
/// responses to mean something (Feedback service). Raised once per unit until it recovers.
/// </summary>
/// <param name="Region">ISO 3166-2:KZ code of the unit's region.</param>
/// <param name="Unit">The police unit.</param>
/// <param name="WindowStart">Start of the rolling window.</param>
/// <param name="WindowEnd">End of the rolling window (when it was evaluated).</param>
/// <param name="Responses">Verified responses in the window.</param>
/// <param name="SatisfiedShare">Share of respondents with an overall score of 4 or 5 (0..1).</param>
/// <param name="Target">The target share for the year (0.65 or 0.77).</param>
public sealed record ServiceQualityAlertRaised(
    string Region, string Unit, DateTimeOffset WindowStart, DateTimeOffset WindowEnd, int Responses, double SatisfiedShare, double Target)
    : IntegrationEvent;
