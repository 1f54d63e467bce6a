using Microsoft.Extensions.Options;
using PublicSafety.Feedback.Extensions;

namespace PublicSafety.Feedback.Model;

/// <summary>
/// Decides whether an interaction may be followed by a survey invitation: only with the person's consent, and never when
/// a suppression rule matches (domestic violence and sexual assault by default: the message could reach the abuser).
/// </summary>
public sealed class SuppressionPolicy(IOptionsMonitor<FeedbackOptions> options)
{
    /// <returns>The decision and, when suppressed, the rule's name.</returns>
    public (string Decision, string? Rule) Decide(InteractionData i)
    {
        if (!i.SurveyConsent)
        {
            return (SurveyDecisions.NoConsent, null);
        }

        foreach (var rule in options.CurrentValue.SuppressionRules)
        {
            var offence = rule.OffenceCategories.Count == 0 || (i.OffenceCategory is { } c && rule.OffenceCategories.Contains(c));
            var kind = rule.InteractionKinds.Count == 0 || rule.InteractionKinds.Contains(i.Kind);
            var exempt = rule.AllowWithSafeChannel && i.SafeChannel is not null;
            if (offence && kind && !exempt && (rule.OffenceCategories.Count > 0 || rule.InteractionKinds.Count > 0))
            {
                return (SurveyDecisions.Suppressed, string.IsNullOrWhiteSpace(rule.Name) ? "unnamed" : rule.Name);
            }
        }

        return (SurveyDecisions.Invited, null);
    }
}
