using Npgsql;
using PublicSafety.RoadSafety.Infrastructure;

namespace PublicSafety.RoadSafety.Hotspots;

/// <summary>Road accidents (ДТП). Imports are idempotent by the source system's id.</summary>
public sealed class AccidentStore(NpgsqlDataSource db)
{
    public async Task<AccidentImportResult> ImportAsync(IReadOnlyList<AccidentRequest> accidents, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            INSERT INTO accidents (id, external_id, occurred_at, region, road, km_marker, location, deaths, injuries, cause)
            SELECT id, ext, at, region, road, km, ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography, deaths, injuries, cause
            FROM unnest(@ids, @ext, @ats, @regions, @roads, @kms, @lats, @lons, @deaths, @injuries, @causes)
                 AS a(id, ext, at, region, road, km, lat, lon, deaths, injuries, cause)
            ON CONFLICT (external_id) DO NOTHING
            """);
        cmd.With("ids", accidents.Select(_ => Guid.CreateVersion7()).ToArray())
            .With("ext", accidents.Select(a => a.ExternalId).ToArray())
            .With("ats", accidents.Select(a => a.OccurredAt!.Value.ToUniversalTime()).ToArray())
            .With("regions", accidents.Select(a => a.Region!.ToUpperInvariant()).ToArray())
            .With("roads", accidents.Select(a => a.Road).ToArray())
            .With("kms", accidents.Select(a => a.KmMarker).ToArray())
            .With("lats", accidents.Select(a => a.Latitude!.Value).ToArray())
            .With("lons", accidents.Select(a => a.Longitude!.Value).ToArray())
            .With("deaths", accidents.Select(a => a.Deaths!.Value).ToArray())
            .With("injuries", accidents.Select(a => a.Injuries!.Value).ToArray())
            .With("causes", accidents.Select(a => a.Cause!).ToArray());
        var imported = await cmd.ExecuteNonQueryAsync(ct);
        return new AccidentImportResult(imported, accidents.Count - imported);
    }

    public async Task<IReadOnlyList<AccidentView>> ListAsync(string? region, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            SELECT id, external_id, occurred_at, region, road, km_marker, ST_Y(location::geometry), ST_X(location::geometry), deaths, injuries, cause
            FROM accidents WHERE occurred_at >= @from AND occurred_at < @to AND (@region IS NULL OR region = @region)
            ORDER BY occurred_at LIMIT @limit
            """);
        cmd.With("from", from.ToUniversalTime()).With("to", to.ToUniversalTime()).WithText("region", region).With("limit", limit);
        return await cmd.ListAsync(r => new AccidentView(r.GetGuid(0), r.Get<string>(1), r.GetFieldValue<DateTimeOffset>(2), r.GetString(3), r.Get<string>(4),
            r.GetStruct<decimal>(5), r.GetDouble(6), r.GetDouble(7), r.GetInt32(8), r.GetInt32(9), r.GetString(10)), ct);
    }
}
