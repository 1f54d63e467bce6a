using Npgsql;
using NpgsqlTypes;
using PublicSafety.Cameras.Apis;

namespace PublicSafety.Cameras.Infrastructure;

/// <summary>Radius and polygon search for the REST API (PostGIS; the gRPC side is <see cref="Grpc.CameraQueries"/>).</summary>
public sealed class SpatialQueries(NpgsqlDataSource dataSource)
{
    private const string Columns = "c.id, c.name, c.kind, c.status, c.region, ST_Y(c.location::geometry), ST_X(c.location::geometry), c.health";

    /// <summary>Cameras within <paramref name="radiusMeters"/> (inclusive, on the spheroid), nearest first (migration 0010).</summary>
    public async Task<IReadOnlyList<SpatialHit>> NearAsync(double latitude, double longitude, double radiusMeters, string? status, string? scope, int limit, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand($"""
            SELECT {Columns}, n.distance
            FROM cameras_near(@lon, @lat, @radius, @kinds, @statuses, @scope, @limit) n
            JOIN cameras c ON c.id = n.camera_id
            ORDER BY n.distance, c.id
            """);
        cmd.Parameters.AddWithValue("lon", longitude);
        cmd.Parameters.AddWithValue("lat", latitude);
        cmd.Parameters.AddWithValue("radius", radiusMeters);
        cmd.Parameters.AddWithValue("kinds", Array.Empty<string>());
        cmd.Parameters.AddWithValue("statuses", status is null ? Array.Empty<string>() : [status]);
        cmd.Parameters.Add(new NpgsqlParameter<string?>("scope", scope) { NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.AddWithValue("limit", limit);
        return await ReadAsync(cmd, withDistance: true, ct);
    }

    /// <summary>Whether the ring (closed, lon/lat) is a valid simple polygon; PostGIS decides, not a hand-written check.</summary>
    public async Task<bool> IsValidPolygonAsync(string wkt, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("SELECT ST_IsValid(ST_GeomFromText(@wkt, 4326)) AND NOT ST_IsEmpty(ST_GeomFromText(@wkt, 4326)) AND ST_Area(ST_GeomFromText(@wkt, 4326)) > 0");
        cmd.Parameters.AddWithValue("wkt", wkt);
        try
        {
            return await cmd.ExecuteScalarAsync(ct) is true;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InternalError)
        {
            return false; // unparseable geometry (XX000 from the WKT parser)
        }
    }

    /// <summary>Cameras inside (or on the boundary of) the polygon.</summary>
    public async Task<IReadOnlyList<SpatialHit>> WithinAsync(string wkt, string? status, string? scope, int limit, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand($"""
            SELECT {Columns} FROM cameras c
            WHERE ST_Covers(ST_GeomFromText(@wkt, 4326)::geography, c.location)
              AND (@status::text IS NULL OR c.status = @status) AND (@scope::text IS NULL OR c.region = @scope)
            ORDER BY c.id
            LIMIT @limit
            """);
        cmd.Parameters.AddWithValue("wkt", wkt);
        cmd.Parameters.Add(new NpgsqlParameter<string?>("status", status) { NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter<string?>("scope", scope) { NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.AddWithValue("limit", limit);
        return await ReadAsync(cmd, withDistance: false, ct);
    }

    private static async Task<IReadOnlyList<SpatialHit>> ReadAsync(NpgsqlCommand cmd, bool withDistance, CancellationToken ct)
    {
        var hits = new List<SpatialHit>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            hits.Add(new SpatialHit(r.GetGuid(0), r.IsDBNull(1) ? null : r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4),
                r.GetDouble(5), r.GetDouble(6), r.GetString(7), withDistance ? r.GetDouble(8) : null));
        }

        return hits;
    }
}
