using System.Globalization;
using System.Text.RegularExpressions;

namespace PublicSafety.Feedback.Model;

public sealed record VenueData(string Name, string Kind, string Region, string Settlement, string Address, double? Latitude, double? Longitude);

public sealed record Venue(Guid Id, VenueData Data, bool Active, DateTimeOffset CreatedAt, bool Synthetic);

public sealed record VenueSignal(Guid Id, Guid VenueId, string SignalType, DateTimeOffset ReceivedAt);

public sealed record VenueRating(
    Guid VenueId, string Name, string Kind, string Region, string Settlement, string Address, int Signals, double WeightedScore, string Grade, int RankInRegion);

/// <summary>A half-year of the rating (action plan 5.2: the rating is published every half-year), e.g. <c>2025-H2</c>.</summary>
public readonly partial record struct HalfYear(int Year, int Half)
{
    public DateTimeOffset Start => new(Year, Half == 1 ? 1 : 7, 1, 0, 0, 0, TimeSpan.Zero);

    public DateTimeOffset End => Half == 1 ? new DateTimeOffset(Year, 7, 1, 0, 0, 0, TimeSpan.Zero) : new DateTimeOffset(Year + 1, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Year}-H{Half}");

    public static HalfYear Containing(DateTimeOffset t) => new(t.UtcDateTime.Year, t.UtcDateTime.Month <= 6 ? 1 : 2);

    public HalfYear Previous => Half == 1 ? new(Year - 1, 2) : new(Year, 1);

    public static bool TryParse(string? s, out HalfYear period)
    {
        period = default;
        if (s is null || Shape().Match(s) is not { Success: true } m)
        {
            return false;
        }

        period = new HalfYear(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), m.Groups[2].Value[0] - '0');
        return true;
    }

    [GeneratedRegex("^(20[2-9][0-9])-H([12])$")]
    private static partial Regex Shape();
}

public static class VenueGrades
{
    public const string Safe = "safe";
    public const string Caution = "caution";
    public const string Unsafe = "unsafe";
}
