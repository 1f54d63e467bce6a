using System.Diagnostics;
using Microsoft.Extensions.Options;
using Npgsql;
using PublicSafety.RoadSafety.Extensions;
using PublicSafety.RoadSafety.Infrastructure;

namespace PublicSafety.RoadSafety.Hotspots;

/// <summary>
/// Accident-concentration sites (7.5): "at least <c>minAccidents</c> accidents with casualties within <c>distance</c> in the
/// window". DBSCAN (eps = distance) finds the dense places, but it chains: a highway with an accident every 900 m is one
/// cluster tens of kilometres long whose summed harm would top the list. So each cluster is cut by k-means with a maximum
/// radius of the distance (PostGIS grows k until every part fits), and a part is a site when it still holds
/// <c>minAccidents</c> accidents: every accident of a site is within the distance of its centre. Distances are taken in the
/// UTM zone of each accident (EPSG 326xx, scale error under 0.1 % in Kazakhstan; accidents are accepted only within the
/// country's bounding box, so the zone is one of 38N-45N), so clusters are formed per 6° zone: a site straddling a zone
/// meridian (54°, 60°, ... 84° E) is reported as two. The site is uncovered when no active device with a verification in
/// force now is within the coverage distance of its centre; when more than half of its accidents share a cause that
/// <see cref="Causes.CoveringKinds"/> maps, only devices of those kinds count.
/// </summary>
public sealed class HotspotQueries(NpgsqlDataSource db, TimeProvider time, RoadSafetyMetrics metrics)
{
    private const string Sql = """
        WITH src AS (
            SELECT id, region, road, deaths, injuries, occurred_at, cause, zone, ST_Transform(location::geometry, 32600 + zone) AS metric
            FROM (SELECT *, floor((ST_X(location::geometry) + 180) / 6)::int + 1 AS zone FROM accidents
                  WHERE deaths + injuries > 0 AND occurred_at > @from AND occurred_at <= @asOf AND (@region IS NULL OR region = @region)) a
        ), clustered AS (
            SELECT *, ST_ClusterDBSCAN(metric, eps := @eps, minpoints := @min) OVER (PARTITION BY zone) AS cid
            FROM src
        ), parts AS (
            SELECT *, ST_ClusterKMeans(metric, 1, max_radius := @eps) OVER (PARTITION BY zone, cid) AS part
            FROM clustered WHERE cid IS NOT NULL
        ), sites AS (
            SELECT min(id::text)::uuid AS anchor, mode() WITHIN GROUP (ORDER BY region) AS region, mode() WITHIN GROUP (ORDER BY road) AS road,
                   count(*)::int AS accidents,
                   sum(deaths)::int AS deaths, sum(injuries)::int AS injuries, min(occurred_at) AS first_at, max(occurred_at) AS last_at,
                   ST_Centroid(ST_Collect(metric)) AS centre, ST_Collect(metric) AS points,
                   mode() WITHIN GROUP (ORDER BY cause) AS top_cause, array_agg(cause) AS causes
            FROM parts
            GROUP BY zone, cid, part
            HAVING count(*) >= @min
        ), located AS (
            -- The site's cause is one shared by more than half of its accidents; without one (mixed causes) it has none.
            SELECT *, ST_Transform(centre, 4326) AS position, ST_MaxDistance(centre, points) AS radius,
                   CASE WHEN 2 * (SELECT count(*) FROM unnest(causes) c WHERE c = top_cause) > accidents THEN top_cause END AS cause
            FROM sites
        ), judged AS (
            -- NULL kinds: no cause, or one no kind of device answers in particular; any device covers the site.
            SELECT l.*, (SELECT array_agg(m.kind ORDER BY m.kind) FROM unnest(@mappedCauses, @mappedKinds) m(cause, kind) WHERE m.cause = l.cause) AS kinds
            FROM located l
        )
        SELECT s.anchor, s.region, ST_Y(s.position), ST_X(s.position), s.radius,
               s.accidents, s.deaths, s.injuries, s.deaths * @deathWeight + s.injuries * @injuryWeight AS harm, s.first_at, s.last_at,
               -- A device of another region covers the site all the same, but is not named to a caller who may not see it.
               CASE WHEN @scope IS NULL OR nd.region = @scope THEN nd.id END, CASE WHEN @scope IS NULL OR nd.region = @scope THEN nd.distance END,
               s.road, s.cause, s.kinds, nd.id IS NOT NULL
        FROM judged s
        LEFT JOIN LATERAL (
            SELECT d.id, d.region, ST_Distance(d.location, s.position::geography) AS distance FROM devices d
            WHERE d.status = 'active' AND ST_DWithin(d.location, s.position::geography, @coverage)
              AND (s.kinds IS NULL
                   OR (d.kind = ANY(s.kinds)
                       AND (d.kind <> 'section' OR EXISTS (SELECT 1 FROM sections x WHERE d.id IN (x.entry_device_id, x.exit_device_id)))))
              AND EXISTS (SELECT 1 FROM device_verifications v WHERE v.device_id = d.id AND v.verified_at <= @now AND v.valid_until > @now)
            ORDER BY d.location <-> s.position::geography LIMIT 1) nd ON true
        ORDER BY harm DESC, s.accidents DESC, s.anchor
        """;

    // Causes.CoveringKinds as pairs, one row per (cause, kind), for the query to unnest.
    private static readonly string[] MappedCauses = [.. Causes.CoveringKinds.SelectMany(c => c.Value.Select(_ => c.Key))];
    private static readonly string[] MappedKinds = [.. Causes.CoveringKinds.SelectMany(c => c.Value)];

    /// <summary>Sites of <paramref name="region"/> (null: every region) as seen by a caller of <paramref name="scope"/> (null: national).</summary>
    public async Task<(List<Hotspot> Items, double Milliseconds)> ComputeAsync(HotspotRule rule, string? region, string? scope, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        await using var cmd = db.CreateCommand(Sql);
        cmd.CommandTimeout = 60;
        cmd.With("from", rule.AsOf.AddMonths(-rule.Months)).With("asOf", rule.AsOf).WithText("region", region).WithText("scope", scope).With("eps", rule.DistanceMeters)
            .With("min", rule.MinAccidents).With("deathWeight", rule.DeathWeight).With("injuryWeight", rule.InjuryWeight)
            .With("coverage", rule.CoverageDistanceMeters).With("now", time.GetUtcNow())
            .With("mappedCauses", MappedCauses).With("mappedKinds", MappedKinds);
        var rank = 0;
        var items = await cmd.ListAsync(r => new Hotspot(++rank, r.GetGuid(0), r.GetString(1), r.GetDouble(2), r.GetDouble(3), r.IsDBNull(4) ? 0 : r.GetDouble(4),
            r.GetInt32(5), r.GetInt32(6), r.GetInt32(7), r.GetDouble(8), r.GetFieldValue<DateTimeOffset>(9), r.GetFieldValue<DateTimeOffset>(10),
            Covered: r.GetBoolean(16), r.GetStruct<Guid>(11), r.GetStruct<double>(12), new HotspotCameras("not_requested", []), r.Get<string>(13),
            r.Get<string>(14), r.IsDBNull(15) ? null : r.GetFieldValue<string[]>(15)), ct);
        metrics.HotspotsComputed(watch.Elapsed);
        return (items, watch.Elapsed.TotalMilliseconds);
    }
}
