namespace PublicSafety.Probation.Evaluation;

/// <summary>
/// Local time per region for curfew schedules. Since 1 March 2024 the whole of Kazakhstan is on UTC+5; each region keeps
/// its own tz database zone so that schedules evaluated for earlier dates (Almaty and the east were UTC+6) stay right.
/// </summary>
public static class RegionTime
{
    private static readonly Dictionary<string, string> ZoneIds = new(StringComparer.OrdinalIgnoreCase)
    {
        ["KZ-15"] = "Asia/Aqtobe",
        ["KZ-23"] = "Asia/Atyrau",
        ["KZ-27"] = "Asia/Oral",
        ["KZ-39"] = "Asia/Qostanay",
        ["KZ-43"] = "Asia/Qyzylorda",
        ["KZ-47"] = "Asia/Aqtau",
    };

    private static readonly Dictionary<string, TimeZoneInfo> Cache = new(StringComparer.OrdinalIgnoreCase);

    public static TimeZoneInfo For(string region)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(region, out var zone))
            {
                zone = TimeZoneInfo.FindSystemTimeZoneById(ZoneIds.GetValueOrDefault(region, "Asia/Almaty"));
                Cache[region] = zone;
            }

            return zone;
        }
    }
}
