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
    public const int DefaultCameraPage = 1000;
    public const int MaxCameraPage = 10_000;

    // The grouping column comes from this fixed map, never from the request. Cameras group and sort by the uuid itself, the
    // order the page cursor follows.
    private static readonly Dictionary<string, string> Groups = new(StringComparer.Ordinal)
    {
        ["camera"] = "c.id",
        ["region"] = "c.region",
        ["owner"] = "coalesce(c.owner, 'unspecified')",
    };

    public static IReadOnlyCollection<string> GroupNames => Groups.Keys;

    /// <summary>
    /// Uptime per group. Grouped by camera, the answer is a page of at most <paramref name="limit"/> cameras in id order, those
    /// after <paramref name="after"/>; every camera with a log row before the period's end is on exactly one page.
    /// </summary>
    public async Task<IReadOnlyList<Uptime>> UptimeAsync(DateTimeOffset from, DateTimeOffset to, string groupBy, string? region, CancellationToken ct,
        int limit = DefaultCameraPage, Guid? after = null)
    {
        var until = to < time.GetUtcNow() ? to : time.GetUtcNow();
        var paged = groupBy == "camera";
        // Each camera's timeline is its state when the period starts (its last row before @from) and its changes inside the period:
        // two probes of the (camera_id, at, id) index per camera instead of the whole log before @to. A camera with no row before
        // @to has no timeline and no row in the answer, so a page of cameras is cut on that question alone.
        await using var cmd = dataSource.CreateCommand($"""
            WITH scoped AS (
                SELECT c.id FROM cameras c
                WHERE (@region::text IS NULL OR c.region = @region)
                  {(paged ? "AND (@after::uuid IS NULL OR c.id > @after)" : "")}
                  AND EXISTS (SELECT 1 FROM camera_health_log l WHERE l.camera_id = c.id AND l.at < @to)
                {(paged ? "ORDER BY c.id LIMIT @limit" : "")}),
            timeline AS (
                SELECT s.id AS camera_id, t.health, t.at, t.log_id
                FROM scoped s CROSS JOIN LATERAL (
                    (SELECT l.health, l.at, l.id AS log_id FROM camera_health_log l
                     WHERE l.camera_id = s.id AND l.at < @from ORDER BY l.at DESC, l.id DESC LIMIT 1)
                    UNION ALL
                    SELECT l.health, l.at, l.id FROM camera_health_log l WHERE l.camera_id = s.id AND l.at >= @from AND l.at < @to) t),
            spans AS (
                SELECT camera_id, health, at, lead(at, 1, @to) OVER (PARTITION BY camera_id ORDER BY at, log_id) AS until FROM timeline),
            clipped AS (
                SELECT camera_id, health, GREATEST(at, @from) AS s, LEAST(until, @to) AS e FROM spans WHERE until > @from)
            SELECT ({Groups[groupBy]})::text AS key,
                   coalesce(sum(extract(epoch FROM e - s)) FILTER (WHERE clipped.health = 'online'), 0)::float8,
                   coalesce(sum(extract(epoch FROM e - s)) FILTER (WHERE clipped.health IN ('online', 'offline')), 0)::float8
            FROM clipped JOIN cameras c ON c.id = clipped.camera_id
            GROUP BY {Groups[groupBy]}
            ORDER BY {Groups[groupBy]}
            """);
        cmd.Parameters.AddWithValue("from", from);
        cmd.Parameters.AddWithValue("to", until);
        cmd.Parameters.Add(new NpgsqlParameter<string?>("region", region) { NpgsqlDbType = NpgsqlDbType.Text });
        if (paged)
        {
            cmd.Parameters.AddWithValue("limit", limit);
            cmd.Parameters.Add(new NpgsqlParameter<Guid?>("after", after) { NpgsqlDbType = NpgsqlDbType.Uuid });
        }

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
