using Npgsql;
using NpgsqlTypes;
using PublicSafety.Cameras.Apis;

namespace PublicSafety.Cameras.Infrastructure;

/// <summary>
/// The installation plan (action plan 14.2: 20.6 thousand cameras a year) and what was actually installed. A camera counts
/// for the year of its <c>installed_on</c> unless it is still <c>planned</c> (a date on a planned camera is a target, not an
/// installation) or body-worn (14.6 "Digital policeman" devices are a separate programme, not the carpet coverage).
/// </summary>
public sealed class InstallationPlanStore(NpgsqlDataSource dataSource, TimeProvider time)
{
    /// <summary>ISO 3166-1 code of the country: the plan row for the whole of Kazakhstan.</summary>
    public const string National = "KZ";

    public async Task<bool> SetAsync(int year, string region, int planned, string? source, string? actor, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("""
            INSERT INTO installation_plan (year, region, planned_cameras, source, updated_by, updated_at)
            VALUES (@year, @region, @planned, @source, @by, @now)
            ON CONFLICT (year, region) DO UPDATE SET planned_cameras = excluded.planned_cameras, source = excluded.source,
                updated_by = excluded.updated_by, updated_at = excluded.updated_at
            RETURNING (xmax = 0)
            """);
        cmd.Parameters.AddWithValue("year", year);
        cmd.Parameters.AddWithValue("region", region);
        cmd.Parameters.AddWithValue("planned", planned);
        cmd.Parameters.Add(new NpgsqlParameter<string?>("source", source) { NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter<string?>("by", actor) { NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.AddWithValue("now", time.GetUtcNow());
        return await cmd.ExecuteScalarAsync(ct) is true; // true: created
    }

    public async Task<bool> DeleteAsync(int year, string region, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("DELETE FROM installation_plan WHERE year = @year AND region = @region");
        cmd.Parameters.AddWithValue("year", year);
        cmd.Parameters.AddWithValue("region", region);
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>Plan rows of the years; <paramref name="region"/> null: every row, else that region's only.</summary>
    public async Task<IReadOnlyList<PlanEntry>> PlanAsync(int from, int to, string? region, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("""
            SELECT year, region, planned_cameras, source, updated_by, updated_at FROM installation_plan
            WHERE year BETWEEN @from AND @to AND (@region::text IS NULL OR region = @region)
            ORDER BY year, region
            """);
        cmd.Parameters.AddWithValue("from", from);
        cmd.Parameters.AddWithValue("to", to);
        cmd.Parameters.Add(new NpgsqlParameter<string?>("region", region) { NpgsqlDbType = NpgsqlDbType.Text });
        var rows = new List<PlanEntry>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            rows.Add(new PlanEntry(r.GetInt32(0), r.GetString(1), r.GetInt32(2), r.IsDBNull(3) ? null : r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4),
                r.GetFieldValue<DateTimeOffset>(5)));
        }

        return rows;
    }

    /// <summary>
    /// Plan against actual, year by year. With <paramref name="region"/>: that region's plan (if it has one) and installations.
    /// Without: the national row (<see cref="National"/>: the national plan, every installation) and then each region that has
    /// a plan or installations in the year.
    /// </summary>
    public async Task<IReadOnlyList<InstallationProgress>> ProgressAsync(int from, int to, string? region, CancellationToken ct)
    {
        var plan = (await PlanAsync(from, to, null, ct)).ToDictionary(p => (p.Year, p.Region));
        var installed = new Dictionary<(int Year, string Region), long>();
        await using (var cmd = dataSource.CreateCommand("""
            SELECT extract(year FROM installed_on)::int, region, count(*)
            FROM cameras
            WHERE installed_on >= make_date(@from, 1, 1) AND installed_on < make_date(@to + 1, 1, 1)
              AND status <> 'planned' AND kind <> 'body_worn' AND (@region::text IS NULL OR region = @region)
            GROUP BY 1, 2
            """))
        {
            cmd.Parameters.AddWithValue("from", from);
            cmd.Parameters.AddWithValue("to", to);
            cmd.Parameters.Add(new NpgsqlParameter<string?>("region", region) { NpgsqlDbType = NpgsqlDbType.Text });
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                installed[(r.GetInt32(0), r.GetString(1))] = r.GetInt64(2);
            }
        }

        var rows = new List<InstallationProgress>();
        for (var year = from; year <= to; year++)
        {
            if (region is not null)
            {
                rows.Add(Row(year, region, plan.GetValueOrDefault((year, region)), installed.GetValueOrDefault((year, region))));
                continue;
            }

            rows.Add(Row(year, National, plan.GetValueOrDefault((year, National)), installed.Where(i => i.Key.Year == year).Sum(i => i.Value)));
            var regions = plan.Keys.Where(k => k.Year == year && k.Region != National).Select(k => k.Region)
                .Union(installed.Keys.Where(k => k.Year == year).Select(k => k.Region))
                .Order(StringComparer.Ordinal);
            foreach (var r in regions)
            {
                rows.Add(Row(year, r, plan.GetValueOrDefault((year, r)), installed.GetValueOrDefault((year, r))));
            }
        }

        return rows;
    }

    private static InstallationProgress Row(int year, string region, PlanEntry? plan, long installed) => new(
        year, region, plan?.PlannedCameras, installed,
        plan is { PlannedCameras: > 0 } p ? Math.Round(installed * 100.0 / p.PlannedCameras, 1) : null,
        plan is null ? null : Math.Max(0, plan.PlannedCameras - installed),
        plan?.Source);
}
