using Npgsql;
using NpgsqlTypes;
using PublicSafety.CrisisCapacity.Model;

namespace PublicSafety.CrisisCapacity.Infrastructure;

/// <summary>
/// What a duty officer needs: where, which category, how many beds (1 + children), accessibility. <c>Region</c> is the
/// caller's reach or a region inside it (null: every region); centres of <c>ExactRegions</c> are measured from where
/// they are, all others from the middle of their grid cell (<see cref="LocationGrid"/>).
/// </summary>
public sealed record AvailabilitySearch(
    string? Region, double? Latitude, double? Longitude, double RadiusMeters, string? Category, int Children, bool Accessible, int Limit,
    IReadOnlyList<string> ExactRegions, Guid? ExcludeFacility = null)
{
    public int BedsNeeded => 1 + Children;
}

/// <summary>One category of one facility with free beds; never the address. <c>Exact</c>: the distance is from the centre itself.</summary>
public sealed record AvailableBedsRow(
    Guid FacilityId, string Name, string Kind, string Region, string Settlement, bool AcceptsChildren, bool Accessible, bool OpenAtNight,
    string Category, int Total, int OutOfService, int Occupied, int Reserved, int Available, double? DistanceMeters, bool Exact);

/// <summary>PostGIS availability search over the <c>bed_availability</c> view, shared by REST and gRPC.</summary>
public sealed class AvailabilityQueries(NpgsqlDataSource dataSource)
{
    // The index narrows by the true position (a cell's middle is within a cell of it); the radius and the distance
    // then use the position the caller may learn, so that a centre answered on the grid is inside a radius or not by
    // its cell alone.
    private const string Sql = """
        WITH p AS (SELECT CASE WHEN @lon::float8 IS NULL THEN NULL
                               ELSE ST_SetSRID(ST_MakePoint(@lon::float8, @lat::float8), 4326)::geography END AS g)
        SELECT f.id, f.name, f.kind, f.region, f.settlement, f.accepts_children, f.accessible, f.open_at_night,
               a.category, a.total, a.out_of_service, a.occupied, a.reserved, a.available,
               CASE WHEN p.g IS NULL THEN NULL ELSE ST_Distance(pos.at, p.g) END AS distance, pos.exact
        FROM facilities f CROSS JOIN p
        CROSS JOIN LATERAL (SELECT f.region = ANY(@exact) AS exact,
                                   CASE WHEN f.region = ANY(@exact) THEN f.location ELSE f.grid_location END AS at) pos
        JOIN bed_availability a ON a.facility_id = f.id
        WHERE (@region::text IS NULL OR f.region = @region::text)
          AND (p.g IS NULL OR (ST_DWithin(f.location, p.g, @radius + @cell) AND ST_DWithin(pos.at, p.g, @radius)))
          AND (@category::text IS NULL OR a.category = @category::text)
          AND a.available >= @beds
          AND (@children = 0 OR f.accepts_children)
          AND (NOT @accessible OR f.accessible)
          AND (@exclude::uuid IS NULL OR f.id <> @exclude::uuid)
        ORDER BY distance NULLS LAST, a.available DESC, f.id, a.category
        LIMIT @limit
        """;

    public async Task<List<AvailableBedsRow>> SearchAsync(AvailabilitySearch search, CancellationToken cancellationToken, NpgsqlConnection? connection = null)
    {
        await using var cmd = connection is null ? dataSource.CreateCommand(Sql) : new NpgsqlCommand(Sql, connection);
        cmd.Parameters.Add(new NpgsqlParameter<double?>("lon", search.Longitude) { NpgsqlDbType = NpgsqlDbType.Double });
        cmd.Parameters.Add(new NpgsqlParameter<double?>("lat", search.Latitude) { NpgsqlDbType = NpgsqlDbType.Double });
        cmd.Parameters.Add(new NpgsqlParameter<string?>("region", search.Region) { NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter<string?>("category", search.Category) { NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter<Guid?>("exclude", search.ExcludeFacility) { NpgsqlDbType = NpgsqlDbType.Uuid });
        cmd.Parameters.AddWithValue("exact", search.ExactRegions.ToArray());
        cmd.Parameters.AddWithValue("cell", LocationGrid.CellMeters);
        cmd.Parameters.AddWithValue("radius", search.RadiusMeters);
        cmd.Parameters.AddWithValue("beds", search.BedsNeeded);
        cmd.Parameters.AddWithValue("children", search.Children);
        cmd.Parameters.AddWithValue("accessible", search.Accessible);
        cmd.Parameters.AddWithValue("limit", search.Limit);
        var rows = new List<AvailableBedsRow>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new AvailableBedsRow(
                reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetBoolean(5), reader.GetBoolean(6), reader.GetBoolean(7), reader.GetString(8),
                reader.GetInt32(9), reader.GetInt32(10), reader.GetInt32(11), reader.GetInt32(12), reader.GetInt32(13),
                reader.IsDBNull(14) ? null : reader.GetDouble(14), reader.GetBoolean(15)));
        }

        return rows;
    }

    /// <summary>Records a hold or admission refused for lack of beds (deficit analytics); searches are not refusals.</summary>
    public static async Task RecordTurnedAwayAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string? region, string? category, int beds, string source, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand("INSERT INTO turned_away (region, category, beds, source) VALUES (@r, @c, @b, @s)", connection, transaction);
        cmd.Parameters.Add(new NpgsqlParameter<string?>("r", region) { NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter<string?>("c", category) { NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.AddWithValue("b", beds);
        cmd.Parameters.AddWithValue("s", source);
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }
}
