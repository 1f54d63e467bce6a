using System.Diagnostics;
using Microsoft.Extensions.Options;
using Npgsql;
using PublicSafety.RoadSafety.Extensions;
using PublicSafety.RoadSafety.Infrastructure;

namespace PublicSafety.RoadSafety.Hotspots;

/// <summary>
/// Accident-concentration sites (7.5): DBSCAN over accidents with casualties in the window, with eps in metres. Distances
/// are taken in the UTM zone of each accident (EPSG 326xx, scale error under 0.1 % in Kazakhstan; accidents are accepted
/// only within the country's bounding box, so the zone is one of 38N-45N), so clusters are formed per 6° zone: a site
/// straddling a zone meridian (54°, 60°, ... 84° E) is reported as two. A cluster is a site when it holds at least
/// <c>minAccidents</c> accidents; the site is uncovered when no active device with a verification in force now is within
/// the coverage distance of its centre.
/// </summary>
public sealed class HotspotQueries(NpgsqlDataSource db, TimeProvider time, RoadSafetyMetrics metrics)
{
    private const string Sql = """
        WITH src AS (
            SELECT id, region, road, deaths, injuries, occurred_at, location, floor((ST_X(location::geometry) + 180) / 6)::int + 1 AS zone
            FROM accidents
            WHERE deaths + injuries > 0 AND occurred_at > @from AND occurred_at <= @asOf AND (@region IS NULL OR region = @region)
        ), clustered AS (
            SELECT *, ST_ClusterDBSCAN(ST_Transform(location::geometry, 32600 + zone), eps := @eps, minpoints := @min) OVER (PARTITION BY zone) AS cid
            FROM src
        ), sites AS (
            SELECT min(id::text)::uuid AS anchor, mode() WITHIN GROUP (ORDER BY region) AS region, mode() WITHIN GROUP (ORDER BY road) AS road,
                   count(*)::int AS accidents,
                   sum(deaths)::int AS deaths, sum(injuries)::int AS injuries, min(occurred_at) AS first_at, max(occurred_at) AS last_at,
                   ST_Centroid(ST_Collect(location::geometry))::geography AS centre, array_agg(location) AS points
            FROM clustered WHERE cid IS NOT NULL
            GROUP BY zone, cid
            HAVING count(*) >= @min
        )
        SELECT s.anchor, s.region, ST_Y(s.centre::geometry), ST_X(s.centre::geometry),
               (SELECT max(ST_Distance(p, s.centre)) FROM unnest(s.points) p),
               s.accidents, s.deaths, s.injuries, s.deaths * @deathWeight + s.injuries * @injuryWeight AS harm, s.first_at, s.last_at,
               nd.id, nd.distance, s.road
        FROM sites s
        LEFT JOIN LATERAL (
            SELECT d.id, ST_Distance(d.location, s.centre) AS distance FROM devices d
            WHERE d.status = 'active' AND ST_DWithin(d.location, s.centre, @coverage)
              AND EXISTS (SELECT 1 FROM device_verifications v WHERE v.device_id = d.id AND v.verified_at <= @now AND v.valid_until > @now)
            ORDER BY d.location <-> s.centre LIMIT 1) nd ON true
        ORDER BY harm DESC, s.accidents DESC, s.anchor
        """;

    public async Task<(List<Hotspot> Items, double Milliseconds)> ComputeAsync(HotspotRule rule, string? region, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        await using var cmd = db.CreateCommand(Sql);
        cmd.CommandTimeout = 60;
        cmd.With("from", rule.AsOf.AddMonths(-rule.Months)).With("asOf", rule.AsOf).WithText("region", region).With("eps", rule.DistanceMeters)
            .With("min", rule.MinAccidents).With("deathWeight", rule.DeathWeight).With("injuryWeight", rule.InjuryWeight)
            .With("coverage", rule.CoverageDistanceMeters).With("now", time.GetUtcNow());
        var rank = 0;
        var items = await cmd.ListAsync(r => new Hotspot(++rank, r.GetGuid(0), r.GetString(1), r.GetDouble(2), r.GetDouble(3), r.IsDBNull(4) ? 0 : r.GetDouble(4),
            r.GetInt32(5), r.GetInt32(6), r.GetInt32(7), r.GetDouble(8), r.GetFieldValue<DateTimeOffset>(9), r.GetFieldValue<DateTimeOffset>(10),
            Covered: !r.IsDBNull(11), r.GetStruct<Guid>(11), r.GetStruct<double>(12), new HotspotCameras("not_requested", []), r.Get<string>(13)), ct);
        metrics.HotspotsComputed(watch.Elapsed);
        return (items, watch.Elapsed.TotalMilliseconds);
    }
}
