using Microsoft.Extensions.Options;
using Npgsql;
using PublicSafety.Probation.Extensions;
using PublicSafety.ServiceDefaults.Hosting;

namespace PublicSafety.Probation.Background;

/// <summary>
/// Deletes raw positions and device events of persons whose supervision ended more than
/// <see cref="RetentionOptions.KeepPositionsAfterSupervision"/> ago, and the last position person_state keeps of them
/// (the newest raw position by another name), also when more arrived after an earlier purge. Violations and alerts stay,
/// without their positions (a violation's evidence and point, an alert's point: copies of raw positions); the
/// location-read audit stays whole. They are the record of what was done.
/// </summary>
public sealed class RetentionJob(NpgsqlDataSource dataSource, TimeProvider time, IOptions<RetentionOptions> options, ILogger<RetentionJob> logger)
    : PeriodicJob(time, logger)
{
    protected override TimeSpan Interval => options.Value.Interval;

    public override async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var total = 0;
        while (true)
        {
            var now = Time.GetUtcNow();
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            await using var tx = await connection.BeginTransactionAsync(ct);
            await using var cmd = new NpgsqlCommand("""
                WITH due AS (
                    SELECT id FROM persons WHERE supervision_end < @cutoff AND (positions_purged_at IS NULL
                        -- A device left assigned after supervision ended keeps sending: what came after the purge goes too.
                        OR EXISTS (SELECT 1 FROM positions p WHERE p.person_id = persons.id)
                        OR EXISTS (SELECT 1 FROM device_events e WHERE e.person_id = persons.id)
                        -- Also persons purged before violations and alerts lost their positions too.
                        OR EXISTS (SELECT 1 FROM violations v WHERE v.person_id = persons.id
                                   AND (v.latitude IS NOT NULL OR v.longitude IS NOT NULL OR v.evidence <> '[]'::jsonb)))
                    -- NO KEY: ingestion's inserts for the person take a key-share lock on this row (their foreign keys) while
                    -- holding person_state, which this statement updates next; a full FOR UPDATE would make them wait on
                    -- each other. Only a non-key column of persons changes here.
                    ORDER BY supervision_end LIMIT 20 FOR NO KEY UPDATE SKIP LOCKED),
                positions_gone AS (DELETE FROM positions WHERE person_id IN (SELECT id FROM due)),
                events_gone AS (DELETE FROM device_events WHERE person_id IN (SELECT id FROM due)),
                last_gone AS (UPDATE person_state SET last_latitude = NULL, last_longitude = NULL, last_accuracy = NULL
                              WHERE person_id IN (SELECT id FROM due)),
                violations_cleared AS (UPDATE violations SET latitude = NULL, longitude = NULL, evidence = '[]'
                                       WHERE person_id IN (SELECT id FROM due)),
                -- By violation: alerts are indexed by it, not by person.
                alerts_cleared AS (UPDATE alerts SET latitude = NULL, longitude = NULL
                                   WHERE violation_id IN (SELECT v.id FROM violations v WHERE v.person_id IN (SELECT id FROM due)))
                UPDATE persons SET positions_purged_at = @now WHERE id IN (SELECT id FROM due)
                """, connection, tx) { CommandTimeout = 600 };
            cmd.Parameters.AddWithValue("cutoff", now - options.Value.KeepPositionsAfterSupervision);
            cmd.Parameters.AddWithValue("now", now);
            var purged = await cmd.ExecuteNonQueryAsync(ct);
            await tx.CommitAsync(ct);
            total += purged;
            if (purged < 20)
            {
                return total;
            }
        }
    }
}
