namespace PublicSafety.ServiceDefaults;

/// <summary>
/// The country the platform serves: its clock and its territory, so that calendar dates, periods and the coordinates
/// callers may give mean the same in every service.
/// </summary>
public static class Kazakhstan
{
    /// <summary>
    /// UTC+05:00 everywhere: since 1 March 2024 the whole country is one time zone (the east moved back from +06:00),
    /// so a local date or period boundary needs no region. Earlier dates in the east are taken at +05:00 too: an hour
    /// off at most, and only for data before the concept's period (2024–2028).
    /// </summary>
    public static readonly TimeSpan Offset = TimeSpan.FromHours(5);

    /// <summary>The bounding box of the territory, as callers are told when a point falls outside it.</summary>
    public const string Bounds = "latitude 40 to 56, longitude 46 to 88";

    public static DateOnly LocalDate(DateTimeOffset at) => DateOnly.FromDateTime(at.ToOffset(Offset).DateTime);

    /// <summary>The instant a local day begins, in UTC: Npgsql writes <c>timestamptz</c> parameters only at offset zero.</summary>
    public static DateTimeOffset Midnight(DateOnly day) => new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), Offset).ToUniversalTime();

    /// <summary>
    /// Whether a point lies in the country's bounding box (40–56° N, 46–88° E, with a margin around the border). A point
    /// outside it is a mistake (swapped or zeroed coordinates, a test fixture) rather than a place the platform serves.
    /// </summary>
    public static bool Contains(double latitude, double longitude) =>
        double.IsFinite(latitude) && double.IsFinite(longitude) && latitude is >= 40 and <= 56 && longitude is >= 46 and <= 88;
}
