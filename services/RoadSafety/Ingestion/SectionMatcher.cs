using Npgsql;
using PublicSafety.RoadSafety.Model;

namespace PublicSafety.RoadSafety.Ingestion;

/// <summary>
/// Average-speed sections. Matching runs in the ingestion transaction of whichever end arrives second: a new exit looks
/// for the latest unmatched entry of the same plate within the section's travel window, a new entry for the earliest
/// unmatched exit after it (vendors post the two ends independently, so either may come first). The section rows are
/// locked first: of two batches holding the two ends of one passage, the second waits for the first to commit and then
/// sees its fixation, so no passage is missed and none is made twice (entry and exit are each unique in
/// <c>section_passages</c>). An entry without an exit simply stays unmatched.
/// </summary>
public sealed class SectionMatcher(RoadSafetyMetrics metrics)
{
    private const string Lock = """
        SELECT id, exit_device_id, region, speed_limit_kmh FROM sections
        WHERE entry_device_id = ANY(@devices) OR exit_device_id = ANY(@devices) ORDER BY id FOR NO KEY UPDATE
        """;

    // Device-level reasons make a passage inadmissible; an offence reason of a point fixation (within tolerance) does not.
    private const string Decide = """
        SELECT gen_random_uuid(), c.section_id, c.entry_id, c.exit_id, c.entry_at, c.exit_at, a.travel, a.avg,
               CASE WHEN c.entry_reason = ANY(@deviceReasons) OR c.exit_reason = ANY(@deviceReasons) THEN 'inadmissible'
                    WHEN a.travel < r.min_section_seconds OR a.avg > r.max_plausible_speed_kmh THEN 'inadmissible'
                    WHEN a.avg > c.speed_limit_kmh + r.speed_tolerance_kmh THEN 'violation'
                    ELSE 'within_limit' END,
               CASE WHEN c.exit_reason = ANY(@deviceReasons) THEN c.exit_reason
                    WHEN c.entry_reason = ANY(@deviceReasons) THEN c.entry_reason
                    WHEN a.travel < r.min_section_seconds OR a.avg > r.max_plausible_speed_kmh THEN 'implausible_average_speed' END,
               r.version, @now
        FROM candidates c
        CROSS JOIN LATERAL (SELECT extract(epoch FROM c.exit_at - c.entry_at)::float8 AS travel,
                                   c.length_m / extract(epoch FROM c.exit_at - c.entry_at)::float8 * 3.6 AS avg) a
        CROSS JOIN LATERAL (SELECT * FROM admissibility_rules WHERE effective_from <= c.exit_at ORDER BY effective_from DESC LIMIT 1) r
        """;

    private const string Returning = """
        ON CONFLICT DO NOTHING
        RETURNING id, section_id, entry_fixation_id, exit_fixation_id, exit_at, average_speed_kmh, outcome, rule_version
        """;

    private const string InsertColumns = """
        INSERT INTO section_passages (id, section_id, entry_fixation_id, exit_fixation_id, entry_at, exit_at, travel_seconds, average_speed_kmh,
                                      outcome, reason, rule_version, matched_at)
        """;

    private static readonly string ByExit = $"""
        WITH candidates AS (
            SELECT DISTINCT ON (e.id) s.id AS section_id, s.length_m, s.speed_limit_kmh, e.id AS entry_id, x.id AS exit_id,
                   e.occurred_at AS entry_at, x.occurred_at AS exit_at, e.reason AS entry_reason, x.reason AS exit_reason
            FROM fixations x
            JOIN sections s ON s.exit_device_id = x.device_id
            CROSS JOIN LATERAL (
                SELECT e.id, e.occurred_at, e.reason FROM fixations e
                WHERE e.device_id = s.entry_device_id AND e.plate = x.plate
                  AND e.occurred_at < x.occurred_at AND e.occurred_at >= x.occurred_at - make_interval(secs => s.max_travel_seconds)
                  AND NOT EXISTS (SELECT 1 FROM section_passages p WHERE p.entry_fixation_id = e.id)
                ORDER BY e.occurred_at DESC LIMIT 1) e
            WHERE x.id = ANY(@ids) AND NOT EXISTS (SELECT 1 FROM section_passages p WHERE p.exit_fixation_id = x.id)
            ORDER BY e.id, x.occurred_at)
        {InsertColumns}
        {Decide}
        {Returning}
        """;

    private static readonly string ByEntry = $"""
        WITH candidates AS (
            SELECT DISTINCT ON (x.id) s.id AS section_id, s.length_m, s.speed_limit_kmh, e.id AS entry_id, x.id AS exit_id,
                   e.occurred_at AS entry_at, x.occurred_at AS exit_at, e.reason AS entry_reason, x.reason AS exit_reason
            FROM fixations e
            JOIN sections s ON s.entry_device_id = e.device_id
            CROSS JOIN LATERAL (
                SELECT x.id, x.occurred_at, x.reason FROM fixations x
                WHERE x.device_id = s.exit_device_id AND x.plate = e.plate
                  AND x.occurred_at > e.occurred_at AND x.occurred_at <= e.occurred_at + make_interval(secs => s.max_travel_seconds)
                  AND NOT EXISTS (SELECT 1 FROM section_passages p WHERE p.exit_fixation_id = x.id)
                ORDER BY x.occurred_at LIMIT 1) x
            WHERE e.id = ANY(@ids) AND NOT EXISTS (SELECT 1 FROM section_passages p WHERE p.entry_fixation_id = e.id)
            ORDER BY x.id, e.occurred_at DESC)
        {InsertColumns}
        {Decide}
        {Returning}
        """;

    private static readonly string[] DeviceReasons =
        [Reasons.NotVerified, Reasons.VerificationLapsed, Reasons.TypeApprovalExpired, Reasons.NotCommissioned, Reasons.UnderMaintenance];

    /// <summary>Matches the new fixations of section devices; returns the section violations to record.</summary>
    internal async Task<List<ViolationRow>> MatchAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid[] devices, Guid[] fixationIds, DateTimeOffset now, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(connection, tx);
        var lockCommand = new NpgsqlBatchCommand(Lock);
        lockCommand.Parameters.AddWithValue("devices", devices);
        batch.BatchCommands.Add(lockCommand);
        foreach (var sql in new[] { ByExit, ByEntry })
        {
            var match = new NpgsqlBatchCommand(sql);
            match.Parameters.AddWithValue("ids", fixationIds);
            match.Parameters.AddWithValue("deviceReasons", DeviceReasons);
            match.Parameters.AddWithValue("now", now);
            batch.BatchCommands.Add(match);
        }

        var sections = new Dictionary<Guid, (Guid ExitDevice, string Region, int Limit)>();
        var violations = new List<ViolationRow>();
        var passages = 0;
        await using var reader = await batch.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            sections[reader.GetGuid(0)] = (reader.GetGuid(1), reader.GetString(2), reader.GetInt32(3));
        }

        while (await reader.NextResultAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                passages++;
                if (reader.GetString(6) != "violation") continue;
                var section = sections[reader.GetGuid(1)];
                violations.Add(new ViolationRow(Guid.CreateVersion7(), "section", reader.GetGuid(3), reader.GetGuid(2), reader.GetGuid(1), section.ExitDevice,
                    section.Region, Vocabulary.AverageSpeed, reader.GetFieldValue<DateTimeOffset>(4), reader.GetDouble(5), section.Limit, reader.GetInt32(7)));
            }
        }

        metrics.PassagesMatched(passages);
        return violations;
    }
}
