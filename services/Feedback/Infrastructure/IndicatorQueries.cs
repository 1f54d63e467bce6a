using Npgsql;
using PublicSafety.Feedback.Model;
using PublicSafety.ServiceDefaults;

namespace PublicSafety.Feedback.Infrastructure;

/// <summary>
/// Satisfaction indicators straight from the responses: one grouped scan of the covering index
/// <c>survey_responses_indicators</c> (region, time, then every aggregated column), so no table page is read.
/// Times are grouped at <see cref="Kazakhstan.Offset"/>, the offset the period boundaries are cut at.
/// </summary>
public sealed class IndicatorQueries(NpgsqlDataSource dataSource)
{
    // A fixed offset, not the tz database's Asia/Almaty: that zone was UTC+6 before March 2024, so its weeks, months and
    // quarters did not start where the period (Kazakhstan.Midnight) does, and a response could land in a bucket outside it.
    private const string Local = "(submitted_at AT TIME ZONE @offset)";

    public async Task<IndicatorResult> QueryAsync(IndicatorFilter f, CancellationToken ct)
    {
        var key = f.GroupBy switch
        {
            "region" => "region",
            "unit" => "coalesce(unit, 'unspecified')",
            "channel" => "coalesce(channel, 'unspecified')",
            "kind" => "coalesce(kind, 'unspecified')",
            "week" => $"to_char(date_trunc('week', {Local}), 'IYYY-\"W\"IW')",
            "month" => $"to_char({Local}, 'YYYY-MM')",
            "quarter" => $"to_char({Local}, 'YYYY-\"Q\"Q')",
            _ => "''",
        };
        var criteria = string.Join(",\n", Criteria.All.Select(c => $"count({c}), count(*) FILTER (WHERE {c} >= 4), coalesce(sum({c}), 0)"));
        var sql = $"""
            SELECT {key} AS key, verified, count(*), count(*) FILTER (WHERE overall >= 4),
            {criteria}
            FROM survey_responses
            WHERE region = ANY(@regions) AND submitted_at >= @from AND submitted_at < @to
              AND (@unit::text IS NULL OR unit = @unit) AND (@channel::text IS NULL OR channel = @channel) AND (@kind::text IS NULL OR kind = @kind)
            GROUP BY 1, 2 ORDER BY 1
            """;

        var groups = new Dictionary<string, (ResponseCounts Verified, ResponseCounts Unverified)>();
        await using (var cmd = dataSource.CreateCommand(sql))
        {
            AddFilter(cmd, f);
            cmd.Parameters.AddWithValue("offset", Kazakhstan.Offset);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                var counts = new ResponseCounts(r.GetInt64(2), r.GetInt64(3),
                    Criteria.All.Select((_, i) => new CriterionCounts(r.GetInt64(4 + 3 * i), r.GetInt64(5 + 3 * i), r.GetInt64(6 + 3 * i))).ToArray());
                var k = r.GetString(0);
                var current = groups.TryGetValue(k, out var g) ? g : (ResponseCounts.Empty, ResponseCounts.Empty);
                groups[k] = r.GetBoolean(1) ? (counts, current.Item2) : (current.Item1, counts);
            }
        }

        long invitations, answered;
        await using (var cmd = dataSource.CreateCommand("""
            SELECT count(*), count(used_at) FROM survey_invitations
            WHERE region = ANY(@regions) AND issued_at >= @from AND issued_at < @to
              AND (@unit::text IS NULL OR unit = @unit) AND (@channel::text IS NULL OR channel = @channel) AND (@kind::text IS NULL OR kind = @kind)
            """))
        {
            AddFilter(cmd, f);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            await r.ReadAsync(ct);
            (invitations, answered) = (r.GetInt64(0), r.GetInt64(1));
        }

        // Counted like the invitations: a breakdown by unit, channel or kind that showed every unit's suppressions would
        // attribute them to units that had none.
        var suppressed = new List<(string Rule, long Count)>();
        await using (var cmd = dataSource.CreateCommand("""
            SELECT suppressed_by, count(*) FROM interactions
            WHERE survey = 'suppressed' AND region = ANY(@regions) AND occurred_at >= @from AND occurred_at < @to
              AND (@unit::text IS NULL OR unit = @unit) AND (@channel::text IS NULL OR channel = @channel) AND (@kind::text IS NULL OR kind = @kind)
            GROUP BY suppressed_by ORDER BY suppressed_by
            """))
        {
            AddFilter(cmd, f);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                suppressed.Add((r.GetString(0), r.GetInt64(1)));
            }
        }

        return new IndicatorResult(groups.Select(g => new IndicatorGroup(g.Key, g.Value.Verified, g.Value.Unverified)).ToArray(),
            invitations, answered, suppressed);
    }

    private static void AddFilter(NpgsqlCommand cmd, IndicatorFilter f)
    {
        cmd.Parameters.AddWithValue("regions", f.Regions.ToArray());
        cmd.Parameters.AddWithValue("from", f.From);
        cmd.Parameters.AddWithValue("to", f.To);
        cmd.Parameters.Add(InteractionStore.Text("unit", f.Unit));
        cmd.Parameters.Add(InteractionStore.Text("channel", f.Channel));
        cmd.Parameters.Add(InteractionStore.Text("kind", f.Kind));
    }
}
