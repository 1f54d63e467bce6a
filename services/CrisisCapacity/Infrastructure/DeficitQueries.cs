using Npgsql;
using PublicSafety.ServiceDefaults.Auth;

namespace PublicSafety.CrisisCapacity.Infrastructure;

public sealed record RegionDeficit(
    string Region, string RegionName, int Facilities, int TotalBeds, int UsableBeds, int Occupied, int Reserved, double OccupancyRate,
    int TurnedAway, int TurnedAwayBeds, int TurnedAwayPreviousPeriod, int BedsShort, string Trend);

/// <summary>
/// Deficit analytics per region (issue 6): what planners of new centres need. Turned away counts holds and admissions
/// refused for lack of beds (never searches: anyone with crisis.read could inflate those). Beds short is the average
/// number of beds a day those refusals asked for over the period (unmet demand), rounded up; the trend compares the
/// turned-away count with the period before. A caller limited to a region gets that region's row only.
/// </summary>
public sealed class DeficitQueries(NpgsqlDataSource dataSource, TimeProvider clock)
{
    public async Task<IReadOnlyList<RegionDeficit>> ByRegionAsync(int days, RegionScope scope, CancellationToken ct)
    {
        var to = clock.GetUtcNow();
        var from = to.AddDays(-days);
        var previous = from.AddDays(-days);
        await using var cmd = dataSource.CreateCommand("""
            WITH cap AS (
                SELECT f.region, count(DISTINCT f.id)::int AS facilities, COALESCE(sum(a.total), 0)::int AS total,
                       COALESCE(sum(a.total - a.out_of_service), 0)::int AS usable,
                       COALESCE(sum(a.occupied), 0)::int AS occupied, COALESCE(sum(a.reserved), 0)::int AS reserved
                FROM facilities f LEFT JOIN bed_availability a ON a.facility_id = f.id
                WHERE @region::text IS NULL OR f.region = @region::text
                GROUP BY f.region),
            ta AS (
                SELECT region,
                       (count(*) FILTER (WHERE occurred_at >= @from))::int AS cur,
                       COALESCE(sum(beds) FILTER (WHERE occurred_at >= @from), 0)::int AS cur_beds,
                       (count(*) FILTER (WHERE occurred_at < @from))::int AS prev
                FROM turned_away
                WHERE region IS NOT NULL AND occurred_at >= @previous AND occurred_at < @to
                  AND source IN ('reservation', 'admission') AND (@region::text IS NULL OR region = @region::text)
                GROUP BY region)
            SELECT COALESCE(cap.region, ta.region), COALESCE(facilities, 0), COALESCE(total, 0), COALESCE(usable, 0),
                   COALESCE(occupied, 0), COALESCE(reserved, 0), COALESCE(cur, 0), COALESCE(cur_beds, 0), COALESCE(prev, 0)
            FROM cap FULL JOIN ta ON ta.region = cap.region
            """);
        cmd.Parameters.AddWithValue("from", from);
        cmd.Parameters.AddWithValue("to", to);
        cmd.Parameters.AddWithValue("previous", previous);
        cmd.Parameters.Add(new NpgsqlParameter<string?>("region", scope.Region) { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        var rows = new Dictionary<string, RegionDeficit>(StringComparer.OrdinalIgnoreCase);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var region = r.GetString(0);
            var (usable, occupied, reserved) = (r.GetInt32(3), r.GetInt32(4), r.GetInt32(5));
            var (turnedAway, turnedAwayBeds, previousCount) = (r.GetInt32(6), r.GetInt32(7), r.GetInt32(8));
            rows[region] = new RegionDeficit(region, Regions.Names.GetValueOrDefault(region, region), r.GetInt32(1), r.GetInt32(2), usable, occupied, reserved,
                usable == 0 ? 0 : Math.Round((double)(occupied + reserved) / usable, 3),
                turnedAway, turnedAwayBeds, previousCount, (int)Math.Ceiling((double)turnedAwayBeds / days), Trend(turnedAway, previousCount));
        }

        // Every region, also those with no facility and no request: a region without a centre is a finding.
        return scope.RegionCodes.Order(StringComparer.Ordinal)
            .Select(code => rows.GetValueOrDefault(code) ?? new RegionDeficit(code, Regions.Names[code], 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, "steady"))
            .ToArray();
    }

    private static string Trend(int current, int previous) =>
        current > previous * 1.1 ? "rising" : current < previous * 0.9 ? "falling" : "steady";
}
