using Npgsql;
using PublicSafety.RoadSafety.Infrastructure;
using PublicSafety.RoadSafety.Ingestion;
using PublicSafety.ServiceDefaults;
using PublicSafety.ServiceDefaults.Auth;

namespace PublicSafety.RoadSafety.Indicators;

public sealed record DeathRate(string Region, int Year, int Deaths, int? Population, double? PerHundredThousand, double? Target, bool? MeetsTarget);

/// <summary>The rate of every region in scope and of the scope as a whole, which is null while <c>MissingRegions</c> lack a population.</summary>
public sealed record DeathRates(int Year, double? Target, DeathRate National, IReadOnlyList<DeathRate> Regions, IReadOnlyList<string> MissingRegions);

/// <summary>
/// A device's day. NormMedian, NormMad and Score judge its fixations, the Violation... fields its violations, each against the
/// device's own norm of that measure; Anomaly is whether either is anomalous and AnomalousMeasures names which ("fixations",
/// "violations"). Nulls: the day is not judged (too little history).
/// </summary>
public sealed record DailyCount(DateOnly Day, int Fixations, int Violations, double? NormMedian, double? NormMad, double? Score,
    double? ViolationNormMedian, double? ViolationNormMad, double? ViolationScore, bool? Anomaly, IReadOnlyList<string> AnomalousMeasures);

/// <summary>A device's anomalous day: both measures with their norm and score, AnomalousMeasures naming the one or two that are off.</summary>
public sealed record DeviceAnomaly(Guid DeviceId, string Region, DateOnly Day, int Fixations, double NormMedian, double Score,
    int Violations, double ViolationNormMedian, double ViolationScore, IReadOnlyList<string> AnomalousMeasures);

public sealed record DeploymentYear(int Year, int StationaryPlanned, int StationaryActual, int MobilePlanned, int MobileActual);

public sealed record Uptime(Guid DeviceId, DateTimeOffset From, DateTimeOffset To, double SilentSeconds, double UptimePercent);

/// <summary>The concept's indicators: deaths per 100,000 (target indicator 7), device activity and its anomalies, uptime, deployment.</summary>
public sealed class IndicatorQueries(NpgsqlDataSource db)
{
    /// <summary>Target indicator 7 of the concept (section 6): deaths in road accidents per 100,000 residents.</summary>
    public static readonly IReadOnlyDictionary<int, double> DeathTargets = new Dictionary<int, double>
    {
        [2024] = 11.8, [2025] = 11.7, [2026] = 11.6, [2027] = 11.5, [2028] = 11.4,
    };

    /// <summary>Action plan 7.2: 1,100 stationary systems a year, 5,500 by 2028; 7.3: 62 car-mounted complexes installed in 2024.</summary>
    public const int StationaryPerYear = 1100;
    public const int MobileComplexes = 62;
    public const int PlanStart = 2024;
    public const int PlanEnd = 2028;

    /// <summary>Days of the device's own history the norm is taken over, and the least of them needed to judge at all.</summary>
    public const int NormDays = 28;
    public const int MinHistoryDays = 14;
    public const double AnomalyScore = 3;

    /// <summary>
    /// Deaths per 100,000 in every region of the scope (one region, or all 20 of the country) and in the scope as a whole.
    /// A region without a population leaves the whole without a rate: over the other regions it would read as the
    /// country's figure while missing part of the country.
    /// </summary>
    public async Task<DeathRates> DeathRatesAsync(int year, string? region, CancellationToken ct)
    {
        // Population: the year's figure, else the latest earlier one (statistics lag a year).
        await using var cmd = db.CreateCommand("""
            SELECT r.region, coalesce(a.deaths, 0)::int, p.population
            FROM unnest(@regions) r(region)
            LEFT JOIN (SELECT region, sum(deaths) AS deaths FROM accidents WHERE occurred_at >= @from AND occurred_at < @to GROUP BY region) a ON a.region = r.region
            LEFT JOIN LATERAL (SELECT population FROM region_population x WHERE x.region = r.region AND x.year <= @year ORDER BY x.year DESC LIMIT 1) p ON true
            ORDER BY r.region
            """);
        var regions = region is null ? Regions.Names.Keys.ToArray() : [region];
        cmd.With("regions", regions).With("year", year)
            .With("from", Kazakhstan.Midnight(new DateOnly(year, 1, 1))).With("to", Kazakhstan.Midnight(new DateOnly(year + 1, 1, 1)));
        var target = DeathTargets.TryGetValue(year, out var t) ? t : (double?)null;
        var rows = await cmd.ListAsync(r => Rate(r.GetString(0), year, r.GetInt32(1), r.GetStruct<int>(2), target), ct);
        var missing = rows.Where(r => r.Population is null).Select(r => r.Region).ToArray();
        var national = Rate(region ?? "KZ", year, rows.Sum(r => r.Deaths), missing.Length == 0 ? rows.Sum(r => r.Population!.Value) : null, target);
        return new DeathRates(year, target, national, rows, missing);
    }

    private static DeathRate Rate(string region, int year, int deaths, int? population, double? target)
    {
        double? rate = population is > 0 ? Math.Round(deaths * 100_000.0 / population.Value, 2) : null;
        return new DeathRate(region, year, deaths, population, rate, target, rate is null || target is null ? null : rate <= target);
    }

    public async Task SetPopulationAsync(string region, int year, int population, string source, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            INSERT INTO region_population (region, year, population, source) VALUES (@region, @year, @population, @source)
            ON CONFLICT (region, year) DO UPDATE SET population = excluded.population, source = excluded.source
            """);
        cmd.With("region", region).With("year", year).With("population", population).With("source", source);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task<IReadOnlyList<DailyCount>?> DailyAsync(Guid deviceId, string? scope, DateOnly from, DateOnly to, CancellationToken ct)
    {
        await using var exists = db.CreateCommand("SELECT 1 FROM devices WHERE id = @id AND (@scope IS NULL OR region = @scope)");
        exists.With("id", deviceId).WithText("scope", scope);
        if (await exists.ExecuteScalarAsync(ct) is null) return null;
        var series = await SeriesAsync([deviceId], from.AddDays(-NormDays), to, ct);
        var days = series.GetValueOrDefault(deviceId) ?? new SortedDictionary<DateOnly, (int, int)>();
        var first = days.Count > 0 ? days.Keys.First() : to.AddDays(1);
        var result = new List<DailyCount>();
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            var (fixations, violations) = days.GetValueOrDefault(day);
            var (median, mad, score) = Judge(days, first, day, Measure.Fixations);
            var (violationMedian, violationMad, violationScore) = Judge(days, first, day, Measure.Violations);
            var anomalous = Anomalous(score, violationScore);
            result.Add(new DailyCount(day, fixations, violations, median, mad, score, violationMedian, violationMad, violationScore,
                score is null ? null : anomalous.Length > 0, anomalous));
        }

        return result;
    }

    public async Task<IReadOnlyList<DeviceAnomaly>> AnomaliesAsync(string? region, DateOnly day, CancellationToken ct)
    {
        await using var devices = db.CreateCommand("SELECT id, region FROM devices WHERE status = 'active' AND (@region IS NULL OR region = @region)");
        devices.WithText("region", region);
        var list = await devices.ListAsync(r => (Id: r.GetGuid(0), Region: r.GetString(1)), ct);
        var series = await SeriesAsync(list.Select(d => d.Id).ToArray(), day.AddDays(-NormDays), day, ct);
        var anomalies = new List<DeviceAnomaly>();
        foreach (var (id, deviceRegion) in list)
        {
            if (!series.TryGetValue(id, out var days)) continue;
            var (fixations, violations) = days.GetValueOrDefault(day);
            var (median, _, score) = Judge(days, days.Keys.First(), day, Measure.Fixations);
            var (violationMedian, _, violationScore) = Judge(days, days.Keys.First(), day, Measure.Violations);
            var anomalous = Anomalous(score, violationScore);
            if (anomalous.Length > 0)
            {
                anomalies.Add(new DeviceAnomaly(id, deviceRegion, day, fixations, median!.Value, score!.Value,
                    violations, violationMedian!.Value, violationScore!.Value, anomalous));
            }
        }

        // A device off in either measure ranks by the one further from its norm.
        return [.. anomalies.OrderByDescending(a => Math.Max(a.Score, a.ViolationScore))];
    }

    public enum Measure { Fixations, Violations }

    /// <summary>
    /// The measures whose score is above 3. Fixations and violations are judged apart: a camera whose violations jump while its
    /// traffic stays the same (a wrong limit, a misaimed radar) or drop to none is as suspect as one whose fixations do.
    /// </summary>
    private static string[] Anomalous(double? fixationScore, double? violationScore) =>
    [
        .. fixationScore > AnomalyScore ? ["fixations"] : Array.Empty<string>(),
        .. violationScore > AnomalyScore ? ["violations"] : Array.Empty<string>(),
    ];

    /// <summary>
    /// The device's own norm of one measure: the median of its daily fixations (or violations) over the previous 28 days (days
    /// without any count as 0) and the median absolute deviation. Score = |count − median| / max(1.4826·MAD, 10 % of the median, 1).
    /// An anomaly is a score above 3; with fewer than 14 days of history since its first fixation the day is not judged.
    /// </summary>
    public static (double? Median, double? Mad, double? Score) Judge(SortedDictionary<DateOnly, (int Fixations, int Violations)> days, DateOnly first, DateOnly day, Measure measure)
    {
        var windowStart = day.AddDays(-NormDays);
        var historyStart = first > windowStart ? first : windowStart;
        if (day.DayNumber - historyStart.DayNumber < MinHistoryDays) return (null, null, null);
        int Of((int Fixations, int Violations) counts) => measure == Measure.Fixations ? counts.Fixations : counts.Violations;
        var count = Of(days.GetValueOrDefault(day));
        var values = new List<double>();
        for (var d = historyStart; d < day; d = d.AddDays(1)) values.Add(Of(days.GetValueOrDefault(d)));
        var median = Median(values);
        var mad = Median(values.Select(v => Math.Abs(v - median)).ToList());
        var scale = Math.Max(1.4826 * mad, Math.Max(0.1 * median, 1));
        return (median, mad, Math.Round(Math.Abs(count - median) / scale, 2));
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        var n = values.Count;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    private async Task<Dictionary<Guid, SortedDictionary<DateOnly, (int, int)>>> SeriesAsync(Guid[] devices, DateOnly from, DateOnly to, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            SELECT device_id, day, fixations, violations FROM device_daily_counts WHERE device_id = ANY(@ids) AND day BETWEEN @from AND @to
            UNION ALL
            -- The first day with fixations, even before the window: history is judged from it.
            SELECT device_id, min(day), 0, 0 FROM device_daily_counts WHERE device_id = ANY(@ids) AND day < @from GROUP BY device_id
            """);
        cmd.With("ids", devices).With("from", from).With("to", to);
        var series = new Dictionary<Guid, SortedDictionary<DateOnly, (int, int)>>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var id = reader.GetGuid(0);
            if (!series.TryGetValue(id, out var days)) series[id] = days = new SortedDictionary<DateOnly, (int, int)>();
            days[reader.GetFieldValue<DateOnly>(1)] = (reader.GetInt32(2), reader.GetInt32(3));
        }

        return series;
    }

    public async Task<IReadOnlyList<DeploymentYear>> DeploymentAsync(string? region, CancellationToken ct)
    {
        // Actual: devices in service at the end of each year (commissioned by then, not decommissioned by then).
        await using var cmd = db.CreateCommand("""
            SELECT y, count(*) FILTER (WHERE kind <> 'mobile')::int, count(*) FILTER (WHERE kind = 'mobile')::int
            FROM generate_series(@start, @end) y
            LEFT JOIN devices d ON d.commissioned_on <= make_date(y, 12, 31) AND (d.decommissioned_on IS NULL OR d.decommissioned_on > make_date(y, 12, 31))
                                 AND (@region IS NULL OR d.region = @region)
            GROUP BY y ORDER BY y
            """);
        cmd.With("start", PlanStart).With("end", PlanEnd).WithText("region", region);
        return await cmd.ListAsync(r =>
        {
            var year = r.GetInt32(0);
            return new DeploymentYear(year, region is null ? StationaryPerYear * (year - PlanStart + 1) : 0, r.GetInt32(1), region is null ? MobileComplexes : 0, r.GetInt32(2));
        }, ct);
    }

    public async Task<Uptime?> UptimeAsync(Guid deviceId, string? scope, DateTimeOffset from, DateTimeOffset to, DateTimeOffset now, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            SELECT coalesce(sum(extract(epoch FROM least(coalesce(s.silent_until, @now), @to) - greatest(s.silent_from, @from))), 0)::float8
            FROM devices d LEFT JOIN device_silences s ON s.device_id = d.id AND s.silent_from < @to AND coalesce(s.silent_until, @now) > @from
            WHERE d.id = @id AND (@scope IS NULL OR d.region = @scope)
            GROUP BY d.id
            """);
        cmd.With("id", deviceId).WithText("scope", scope).With("from", from.ToUniversalTime()).With("to", to.ToUniversalTime()).With("now", now);
        if (await cmd.ExecuteScalarAsync(ct) is not double silent) return null;
        var span = (to - from).TotalSeconds;
        return new Uptime(deviceId, from, to, Math.Round(silent, 1), Math.Round(100 * (1 - Math.Max(0, silent) / span), 2));
    }
}
