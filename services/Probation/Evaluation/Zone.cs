using PublicSafety.ServiceDefaults;

namespace PublicSafety.Probation.Evaluation;

public enum ZoneKind { Inclusion, Exclusion }

/// <summary>
/// A window in Kazakhstan's time, e.g. 22:00–06:00, starting on the given ISO days (1 = Monday; empty = every day). The
/// whole country is on one fixed offset (<see cref="Kazakhstan.Offset"/>), so a window needs neither the person's region
/// nor a tz database (the service's chiseled image has none).
/// </summary>
public sealed record Curfew(int[] Days, TimeOnly Start, TimeOnly End)
{
    /// <summary>The UTC start of the window that contains <paramref name="at"/>, if any. An end at or before the start is on the next day.</summary>
    public DateTimeOffset? WindowContaining(DateTimeOffset at)
    {
        var local = at.ToOffset(Kazakhstan.Offset).DateTime;
        var today = DateOnly.FromDateTime(local);
        foreach (var day in (ReadOnlySpan<DateOnly>)[today, today.AddDays(-1)])
        {
            if (Days.Length > 0 && !Days.Contains(IsoDay(day)))
            {
                continue;
            }

            var startLocal = day.ToDateTime(Start);
            var endLocal = (End > Start ? day : day.AddDays(1)).ToDateTime(End);
            if (local >= startLocal && local < endLocal)
            {
                return Utc(startLocal);
            }
        }

        return null;
    }

    /// <summary>The first window start strictly after <paramref name="after"/> (within the next eight days), if any.</summary>
    public DateTimeOffset? NextStartAfter(DateTimeOffset after)
    {
        var today = Kazakhstan.LocalDate(after);
        for (var k = 0; k <= 8; k++)
        {
            var day = today.AddDays(k);
            if (Days.Length > 0 && !Days.Contains(IsoDay(day)))
            {
                continue;
            }

            var start = Utc(day.ToDateTime(Start));
            if (start > after)
            {
                return start;
            }
        }

        return null;
    }

    // At offset zero: Npgsql writes timestamptz parameters only in UTC, and window starts become episode keys.
    private static DateTimeOffset Utc(DateTime local) => new DateTimeOffset(local, Kazakhstan.Offset).ToUniversalTime();

    private static int IsoDay(DateOnly day) => day.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)day.DayOfWeek;
}

/// <summary>
/// A circle. Inclusion: <see cref="Radius"/> is home. Exclusion: <see cref="Radius"/> is the inner ring (entry is a
/// violation) and <see cref="OuterRadius"/> the outer ring (approach is a warning).
/// </summary>
public sealed record Zone(Guid Id, ZoneKind Kind, double Latitude, double Longitude, double Radius, double? OuterRadius, IReadOnlyList<Curfew> Curfews);

public readonly record struct Interval(DateTimeOffset Start, DateTimeOffset? End)
{
    public bool Contains(DateTimeOffset at) => at >= Start && (End is not { } end || at < end);
}

/// <summary>What the evaluator needs to know about a person; loaded with the batch.</summary>
public sealed record PersonRules(
    Guid PersonId,
    string Reference,
    string Region,
    string OfficerSubject,
    DateTimeOffset SupervisionStart,
    DateTimeOffset SupervisionEnd,
    IReadOnlyList<Zone> Zones,
    IReadOnlyList<Interval> Exceptions,
    IReadOnlyList<Interval> Custody)
{
    public bool Supervised(DateTimeOffset at) => at >= SupervisionStart && at < SupervisionEnd;

    public bool InCustody(DateTimeOffset at) => Custody.Any(c => c.Contains(at));

    public bool Excused(DateTimeOffset at) => Exceptions.Any(e => e.Contains(at));
}
