using System.Globalization;
using System.Text.RegularExpressions;
using PublicSafety.ServiceDefaults;

namespace PublicSafety.Feedback.Model;

public sealed record VenueData(string Name, string Kind, string Region, string Settlement, string Address, double? Latitude, double? Longitude);

public sealed record Venue(Guid Id, VenueData Data, bool Active, DateTimeOffset CreatedAt, bool Synthetic);

public sealed record VenueSignal(Guid Id, Guid VenueId, string SignalType, DateTimeOffset ReceivedAt);

public sealed record VenueRating(
    Guid VenueId, string Name, string Kind, string Region, string Settlement, string Address, int Signals, double WeightedScore, string Grade, int RankInRegion);

/// <summary>
/// A half-year of the rating (action plan 5.2: the rating is published every half-year), e.g. <c>2025-H2</c>. It is
/// Kazakhstan's half-year: a 102 call at 02:00 on 1 January local time belongs to the new one.
/// </summary>
public readonly partial record struct HalfYear(int Year, int Half)
{
    public DateTimeOffset Start => Kazakhstan.Midnight(new DateOnly(Year, Half == 1 ? 1 : 7, 1));

    public DateTimeOffset End => Kazakhstan.Midnight(Half == 1 ? new DateOnly(Year, 7, 1) : new DateOnly(Year + 1, 1, 1));

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Year}-H{Half}");

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
