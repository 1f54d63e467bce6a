using Npgsql;
using PublicSafety.RoadSafety.Infrastructure;

namespace PublicSafety.RoadSafety.Hotspots;

/// <summary>Road accidents (ДТП). Imports are idempotent by the source system's id.</summary>
public sealed class AccidentStore(NpgsqlDataSource db)
{
    /// <summary>
    /// Imports the accidents, all or none. An externalId already on record in scope is a repeat and changes nothing; one held
    /// by an accident outside <paramref name="scope"/> (a region, or null for the whole country) imports nothing and returns
    /// the indices of those accidents, so that a repeat never tells the caller about a record it may not see.
    /// </summary>
    public async Task<(AccidentImportResult? Result, int[] TakenOutOfScope)> ImportAsync(IReadOnlyList<AccidentRequest> accidents, string? scope, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO accidents (id, external_id, occurred_at, region, road, km_marker, location, deaths, injuries, cause)
            SELECT id, ext, at, region, road, km, ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography, deaths, injuries, cause
            FROM unnest(@ids, @ext, @ats, @regions, @roads, @kms, @lats, @lons, @deaths, @injuries, @causes)
                 AS a(id, ext, at, region, road, km, lat, lon, deaths, injuries, cause)
            ON CONFLICT (external_id) DO NOTHING
            """, connection, tx);
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
        if (scope is not null && accidents.Any(a => a.ExternalId is not null))
        {
            // After the insert: ON CONFLICT waited for any concurrent import of the same ids, so what it skipped is visible now.
            await using var foreign = new NpgsqlCommand("SELECT external_id FROM accidents WHERE external_id = ANY(@ext) AND region <> @scope", connection, tx);
            foreign.With("ext", accidents.Select(a => a.ExternalId).OfType<string>().ToArray()).WithText("scope", scope);
            var taken = (await foreign.ListAsync(r => r.GetString(0), ct)).ToHashSet(StringComparer.Ordinal);
            if (taken.Count > 0)
            {
                await tx.RollbackAsync(ct);
                return (null, [.. Enumerable.Range(0, accidents.Count).Where(i => accidents[i].ExternalId is { } id && taken.Contains(id))]);
            }
        }

        await tx.CommitAsync(ct);
        return (new AccidentImportResult(imported, accidents.Count - imported), []);
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
