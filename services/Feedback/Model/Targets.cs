using PublicSafety.Feedback.Extensions;

namespace PublicSafety.Feedback.Model;

/// <summary>The concept's satisfaction target for a year (a share, 0..1); satisfied means an overall score of 4 or 5.</summary>
public sealed class SatisfactionTargets(Microsoft.Extensions.Options.IOptions<FeedbackOptions> options)
{
    public const int SatisfiedFrom = 4;

    public double? For(int year)
    {
        var targets = options.Value.SatisfactionTargets;
        var known = targets.Keys.Where(y => y <= year).DefaultIfEmpty(int.MinValue).Max();
        return known == int.MinValue ? null : targets[known];
    }
}
