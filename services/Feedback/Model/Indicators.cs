using PublicSafety.ServiceDefaults;

namespace PublicSafety.Feedback.Model;

/// <summary>What the indicators are computed over. Null filters match everything; <c>To</c> is exclusive.</summary>
public sealed record IndicatorFilter(
    IReadOnlyList<string> Regions, DateTimeOffset From, DateTimeOffset To, string? Unit, string? Channel, string? Kind, string? GroupBy);

public static class IndicatorGroupings
{
    public static readonly IReadOnlyList<string> All = ["region", "unit", "channel", "kind", "week", "month", "quarter"];

    public static bool IsValid(string? v) => v is not null && All.Contains(v);
}

/// <summary>Counts for one criterion: how many answered it, how many gave 4 or 5, and the sum of scores (for the mean).</summary>
public sealed record CriterionCounts(long Answered, long Satisfied, long Sum);

/// <summary>Responses of one kind (verified or unverified) in one group.</summary>
public sealed record ResponseCounts(long Responses, long Satisfied, IReadOnlyList<CriterionCounts> Criteria)
{
    public static readonly ResponseCounts Empty = new(0, 0, Model.Criteria.All.Select(_ => new CriterionCounts(0, 0, 0)).ToArray());

    public ResponseCounts Plus(ResponseCounts o) => new(Responses + o.Responses, Satisfied + o.Satisfied,
        Criteria.Zip(o.Criteria, (a, b) => new CriterionCounts(a.Answered + b.Answered, a.Satisfied + b.Satisfied, a.Sum + b.Sum)).ToArray());
}

public sealed record IndicatorGroup(string Key, ResponseCounts Verified, ResponseCounts Unverified);

public sealed record IndicatorResult(
    IReadOnlyList<IndicatorGroup> Groups, long Invitations, long InvitationsAnswered, IReadOnlyList<(string Rule, long Count)> Suppressed);

public static class IndicatorPeriods
{
    /// <summary>
    /// The period just before [from, to) and as long: as many calendar months in Kazakhstan when the period is whole months
    /// (so 2026-Q2 compares with 2026-Q1 and May with April, though their days differ), otherwise as many days.
    /// </summary>
    public static (DateTimeOffset From, DateTimeOffset To) Previous(DateTimeOffset from, DateTimeOffset to)
    {
        var first = Kazakhstan.LocalDate(from);
        var last = Kazakhstan.LocalDate(to);
        if (first.Day == 1 && last.Day == 1 && Kazakhstan.Midnight(first) == from && Kazakhstan.Midnight(last) == to)
        {
            var months = (last.Year - first.Year) * 12 + last.Month - first.Month;
            return (Kazakhstan.Midnight(first.AddMonths(-months)), from);
        }

        return (from - (to - from), from);
    }
}
