using Npgsql;
using NpgsqlTypes;
using PublicSafety.Cameras.Apis;

namespace PublicSafety.Cameras.Health;

/// <summary>
/// Uptime over a period from the health log: the share of monitored time (online or offline) a camera was online.
/// A camera counts as offline from the moment the sweeper detected it, and online again from the heartbeat that brought it back.
/// </summary>
public sealed class UptimeQueries(NpgsqlDataSource dataSource, TimeProvider time)
{
    // The grouping column comes from this fixed map, never from the request.
    private static readonly Dictionary<string, string> Groups = new(StringComparer.Ordinal)
    {
        ["camera"] = "c.id::text",
        ["region"] = "c.region",
        ["owner"] = "coalesce(c.owner, 'unspecified')",
    };

    public static IReadOnlyCollection<string> GroupNames => Groups.Keys;

    public async Task<IReadOnlyList<Uptime>> UptimeAsync(DateTimeOffset from, DateTimeOffset to, string groupBy, string? region, CancellationToken ct)
    {
        var until = to < time.GetUtcNow() ? to : time.GetUtcNow();
        await using var cmd = dataSource.CreateCommand($"""
            WITH spans AS (
                SELECT camera_id, health, at, lead(at, 1, @to) OVER (PARTITION BY camera_id ORDER BY at, id) AS until
                FROM camera_health_log WHERE at < @to),
            clipped AS (
                SELECT camera_id, health, GREATEST(at, @from) AS s, LEAST(until, @to) AS e FROM spans WHERE until > @from AND at < @to)
            SELECT {Groups[groupBy]} AS key,
                   coalesce(sum(extract(epoch FROM e - s)) FILTER (WHERE clipped.health = 'online'), 0)::float8,
                   coalesce(sum(extract(epoch FROM e - s)) FILTER (WHERE clipped.health IN ('online', 'offline')), 0)::float8
            FROM clipped JOIN cameras c ON c.id = clipped.camera_id
            WHERE @region::text IS NULL OR c.region = @region
            GROUP BY 1
            ORDER BY 1
            """);
        cmd.Parameters.AddWithValue("from", from);
        cmd.Parameters.AddWithValue("to", until);
        cmd.Parameters.Add(new NpgsqlParameter<string?>("region", region) { NpgsqlDbType = NpgsqlDbType.Text });
        var result = new List<Uptime>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var online = r.GetDouble(1);
            var monitored = r.GetDouble(2);
            result.Add(new Uptime(r.GetString(0), online, monitored, monitored > 0 ? Math.Round(100 * online / monitored, 3) : null));
        }

        return result;
    }
}
