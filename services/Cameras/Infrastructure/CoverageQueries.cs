using Npgsql;
using NpgsqlTypes;
using PublicSafety.Cameras.Apis;

namespace PublicSafety.Cameras.Infrastructure;

/// <summary>
/// Cameras per 100 residents per settlement, and crime-prone sites without an active camera nearby. Coverage is fixed
/// surveillance: a body-worn camera goes where its officer goes (14.6 is a programme of its own), so it covers nothing.
/// </summary>
public sealed class CoverageQueries(NpgsqlDataSource dataSource, TimeProvider time)
{
    /// <summary>Action plan 14.2: 15 cameras per 100 residents.</summary>
    public const double TargetPer100 = 15;

    public async Task SetPopulationAsync(string region, string name, int population, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("""
            INSERT INTO settlements (region, name, population, updated_at) VALUES (@region, @name, @population, @now)
            ON CONFLICT (region, name) DO UPDATE SET population = excluded.population, updated_at = excluded.updated_at
            """);
        cmd.Parameters.AddWithValue("region", region);
        cmd.Parameters.AddWithValue("name", name);
        cmd.Parameters.AddWithValue("population", population);
        cmd.Parameters.AddWithValue("now", time.GetUtcNow());
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task<IReadOnlyList<SettlementCoverage>> CoverageAsync(string? region, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("""
            SELECT s.region, s.name, s.population, count(c.id) AS active
            FROM settlements s
            LEFT JOIN cameras c ON c.region = s.region AND c.settlement = s.name AND c.status = 'active' AND c.kind <> 'body_worn'
            WHERE @region::text IS NULL OR s.region = @region
            GROUP BY s.region, s.name, s.population
            ORDER BY s.region, s.name
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string?>("region", region) { NpgsqlDbType = NpgsqlDbType.Text });
        var result = new List<SettlementCoverage>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var population = r.GetInt32(2);
            var active = r.GetInt64(3);
            var required = (long)Math.Ceiling(TargetPer100 * population / 100);
            result.Add(new SettlementCoverage(r.GetString(0), r.GetString(1), population, active, Math.Round(active * 100.0 / population, 2),
                TargetPer100, required, Math.Max(0, required - active), active >= required));
        }

        return result;
    }

    public async Task<Guid> AddSiteAsync(string region, string name, double latitude, double longitude, CancellationToken ct)
    {
        var id = Guid.CreateVersion7();
        await using var cmd = dataSource.CreateCommand("""
            INSERT INTO crime_prone_sites (id, region, name, location, designated_at)
            VALUES (@id, @region, @name, ST_SetSRID(ST_MakePoint(@lon, @lat), 4326)::geography, @now)
            """);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("region", region);
        cmd.Parameters.AddWithValue("name", name);
        cmd.Parameters.AddWithValue("lat", latitude);
        cmd.Parameters.AddWithValue("lon", longitude);
        cmd.Parameters.AddWithValue("now", time.GetUtcNow());
        await cmd.ExecuteNonQueryAsync(ct);
        return id;
    }

    /// <summary>Designated sites with no active camera within <paramref name="radiusMeters"/> (inclusive).</summary>
    public async Task<IReadOnlyList<UncoveredSite>> UncoveredSitesAsync(string? region, double radiusMeters, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("""
            SELECT s.id, s.region, s.name, ST_Y(s.location::geometry), ST_X(s.location::geometry)
            FROM crime_prone_sites s
            WHERE (@region::text IS NULL OR s.region = @region)
              AND NOT EXISTS (SELECT 1 FROM cameras c WHERE c.status = 'active' AND c.kind <> 'body_worn' AND ST_DWithin(c.location, s.location, @radius))
            ORDER BY s.region, s.name, s.id
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string?>("region", region) { NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.AddWithValue("radius", radiusMeters);
        var result = new List<UncoveredSite>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            result.Add(new UncoveredSite(r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetDouble(3), r.GetDouble(4)));
        }

        return result;
    }

    /// <summary>A page of designated sites in scope, by region, name and id.</summary>
    public async Task<CrimeProneSitePage> SitesAsync(string? region, int page, int pageSize, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("""
            SELECT s.id, s.region, s.name, ST_Y(s.location::geometry), ST_X(s.location::geometry), s.designated_at, count(*) OVER ()
            FROM crime_prone_sites s
            WHERE @region::text IS NULL OR s.region = @region
            ORDER BY s.region, s.name, s.id
            LIMIT @limit OFFSET @offset
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string?>("region", region) { NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.AddWithValue("limit", pageSize);
        cmd.Parameters.AddWithValue("offset", (long)(page - 1) * pageSize);
        var items = new List<CrimeProneSite>();
        long total = 0;
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                items.Add(new CrimeProneSite(r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetDouble(3), r.GetDouble(4), r.GetFieldValue<DateTimeOffset>(5)));
                total = r.GetInt64(6);
            }
        }

        // A page past the end has no row to carry the total.
        if (items.Count == 0 && page > 1)
        {
            await using var count = dataSource.CreateCommand("SELECT count(*) FROM crime_prone_sites WHERE @region::text IS NULL OR region = @region");
            count.Parameters.Add(new NpgsqlParameter<string?>("region", region) { NpgsqlDbType = NpgsqlDbType.Text });
            total = (long)(await count.ExecuteScalarAsync(ct))!;
        }

        return new CrimeProneSitePage(items, page, pageSize, total);
    }

    /// <summary>Removes a site's designation; false if it is not in scope.</summary>
    public async Task<bool> DeleteSiteAsync(Guid id, string? scope, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("DELETE FROM crime_prone_sites WHERE id = @id AND (@scope::text IS NULL OR region = @scope)");
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.Add(new NpgsqlParameter<string?>("scope", scope) { NpgsqlDbType = NpgsqlDbType.Text });
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }
}
