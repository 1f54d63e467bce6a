namespace PublicSafety.Feedback.Extensions;

/// <summary>Section <c>Feedback</c>: survey lifetimes, targets, complaint deadlines, alert thresholds, suppression rules.</summary>
public sealed class FeedbackOptions
{
    public const string Section = "Feedback";

    /// <summary>How long a survey invitation's token is accepted.</summary>
    public TimeSpan InvitationLifetime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>
    /// The citizens' survey page as the public reaches it through the gateway (set the public host in a deployment, e.g.
    /// <c>https://example.kz/citizen/survey</c>). The invitation's link is this with the token in the fragment.
    /// </summary>
    public string SurveyPageUrl { get; set; } = "/citizen/survey";

    public string SurveyLink(string token) => $"{SurveyPageUrl}#{token}";

    /// <summary>
    /// The concept's targets for the share of satisfied respondents, by year (seed 004, section 6: not less than 65 % in
    /// 2024–2025 and 77 % in 2026–2028). A year without an entry uses the nearest earlier one.
    /// </summary>
    public Dictionary<int, double> SatisfactionTargets { get; set; } = [];

    /// <summary>How long a complaint may stay unresolved before it is overdue.</summary>
    public TimeSpan ComplaintReviewDeadline { get; set; } = TimeSpan.FromDays(15);

    /// <summary>How often overdue complaints are looked for.</summary>
    public TimeSpan OverdueSweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often units' rolling satisfaction is evaluated.</summary>
    public TimeSpan AlertSweepInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The rolling window of the service-quality alert.</summary>
    public TimeSpan AlertWindow { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Fewer verified responses than this in the window say nothing about a unit: no alert.</summary>
    public int AlertMinimumResponses { get; set; } = 30;

    /// <summary>
    /// Interactions whose survey invitation is suppressed (and counted). By default domestic violence and sexual assault:
    /// a message about the case can reach the abuser's phone.
    /// </summary>
    public List<SuppressionRule> SuppressionRules { get; set; } = [];

    /// <summary>Weights of 102 signal types in the venue safety rating; an unknown type weighs <see cref="DefaultSignalWeight"/>.</summary>
    public Dictionary<string, double> VenueSignalWeights { get; set; } = [];

    public double DefaultSignalWeight { get; set; } = 1;

    /// <summary>Weighted signals in a half-year up to which a venue is rated "safe"; above <see cref="VenueCautionMax"/> it is "unsafe".</summary>
    public double VenueSafeMax { get; set; } = 2;

    public double VenueCautionMax { get; set; } = 10;
}

/// <summary>
/// Suppresses invitations for interactions that match every condition given (an empty condition matches anything).
/// </summary>
public sealed class SuppressionRule
{
    public string Name { get; set; } = "";

    /// <summary>Offence categories (domestic_violence, sexual_assault, ...) the rule applies to.</summary>
    public List<string> OffenceCategories { get; set; } = [];

    /// <summary>Interaction kinds the rule applies to.</summary>
    public List<string> InteractionKinds { get; set; } = [];

    /// <summary>When true, an interaction whose source recorded a safe contact channel is let through.</summary>
    public bool AllowWithSafeChannel { get; set; }
}
