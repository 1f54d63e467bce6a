using System.Runtime.CompilerServices;
using Npgsql;
using PublicSafety.Contracts.Cameras.V1;

namespace PublicSafety.Cameras.Grpc;

public sealed record NearQuery(double Latitude, double Longitude, double RadiusMeters, int MaxResults, string[] Kinds, string[] Statuses, string? Region);

/// <summary>A polygon search; <see cref="Wkt"/> has passed <see cref="Infrastructure.PolygonRing"/> and PostGIS's validity check.</summary>
public sealed record PolygonQuery(string Wkt, int MaxResults, string[] Kinds, string[] Statuses, string? Region);

/// <summary>PostGIS queries behind the CameraDirectory methods (no NetTopologySuite for EF 10: DESIGN §4).</summary>
public sealed class CameraQueries(NpgsqlDataSource dataSource)
{
    private const int PageSize = 500;

    private const string Columns = "id, name, kind, status, region, ST_Y(location::geometry), ST_X(location::geometry)";

    /// <summary>Cameras within the radius (metres on the spheroid), nearest first: the KNN walk of migration 0010.</summary>
    public async IAsyncEnumerable<(Camera Camera, double DistanceMeters)> FindNearAsync(NearQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand($"""
            SELECT {Columns}, n.distance
            FROM cameras_near(@lon, @lat, @radius, @kinds, @statuses, @region, @limit) n
            JOIN cameras c ON c.id = n.camera_id
            ORDER BY n.distance, c.id
            """);
        cmd.Parameters.AddWithValue("lon", query.Longitude);
        cmd.Parameters.AddWithValue("lat", query.Latitude);
        cmd.Parameters.AddWithValue("radius", query.RadiusMeters);
        cmd.Parameters.AddWithValue("kinds", query.Kinds);
        cmd.Parameters.AddWithValue("statuses", query.Statuses);
        cmd.Parameters.Add(new NpgsqlParameter<string?>("region", query.Region) { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        cmd.Parameters.AddWithValue("limit", query.MaxResults);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return (Read(reader), reader.GetDouble(7));
        }
    }

    /// <summary>Cameras inside or on the boundary of the polygon (ST_Covers on geography: the GIST index, geodesic edges), by id.</summary>
    public async IAsyncEnumerable<Camera> FindInPolygonAsync(PolygonQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand($"""
            SELECT {Columns} FROM cameras c
            WHERE ST_Covers(ST_GeomFromText(@wkt, 4326)::geography, c.location)
              AND (cardinality(@kinds) = 0 OR c.kind = ANY(@kinds))
              AND (cardinality(@statuses) = 0 OR c.status = ANY(@statuses))
              AND (@region::text IS NULL OR c.region = @region)
            ORDER BY c.id
            LIMIT @limit
            """);
        cmd.Parameters.AddWithValue("wkt", query.Wkt);
        cmd.Parameters.AddWithValue("kinds", query.Kinds);
        cmd.Parameters.AddWithValue("statuses", query.Statuses);
        cmd.Parameters.Add(new NpgsqlParameter<string?>("region", query.Region) { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        cmd.Parameters.AddWithValue("limit", query.MaxResults);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return Read(reader);
        }
    }

    /// <summary>Every camera of a region by id, a page at a time (keyset pagination on the (region, id) index).</summary>
    public async IAsyncEnumerable<Camera> InRegionAsync(string region, string[] statuses, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Guid? after = null;
        while (true)
        {
            await using var cmd = dataSource.CreateCommand($"""
                SELECT {Columns} FROM cameras
                WHERE region = @region AND (@after::uuid IS NULL OR id > @after)
                  AND (cardinality(@statuses) = 0 OR status = ANY(@statuses))
                ORDER BY id
                LIMIT @limit
                """);
            cmd.Parameters.AddWithValue("region", region.ToUpperInvariant());
            cmd.Parameters.Add(new NpgsqlParameter<Guid?>("after", after) { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid });
            cmd.Parameters.AddWithValue("statuses", statuses);
            cmd.Parameters.AddWithValue("limit", PageSize);
            var page = new List<Camera>(PageSize);
            await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    page.Add(Read(reader));
                    after = reader.GetGuid(0);
                }
            }

            foreach (var camera in page)
            {
                yield return camera;
            }

            if (page.Count < PageSize)
            {
                yield break;
            }
        }
    }

    private static Camera Read(NpgsqlDataReader reader)
    {
        var camera = new Camera
        {
            Id = reader.GetGuid(0).ToString(),
            Kind = CameraMapping.Kind(reader.GetString(2)),
            Status = CameraMapping.Status(reader.GetString(3)),
            Region = reader.GetString(4),
            Location = new GeoPoint { Latitude = reader.GetDouble(5), Longitude = reader.GetDouble(6) },
        };
        if (!reader.IsDBNull(1))
        {
            camera.Name = reader.GetString(1);
        }

        return camera;
    }
}
