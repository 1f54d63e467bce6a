using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using PublicSafety.Probation.Evaluation;
using PublicSafety.Probation.Extensions;
using PublicSafety.Probation.Infrastructure;
using PublicSafety.ServiceDefaults.Hosting;

namespace PublicSafety.Probation.Background;

/// <summary>
/// Curfew over time, not only on new fixes: a person confirmed away from home whose curfew window has begun is in
/// breach even if the device sends nothing more. Looks at persons whose <c>curfew_due_at</c> has come (set by ingestion
/// and by this sweeper), records the breach under the same key the evaluator uses, and schedules the next look.
/// </summary>
public sealed class CurfewSweeper(
    NpgsqlDataSource dataSource, ViolationWriter violations, CameraEnrichmentSignal enrichment, TimeProvider time,
    IOptions<DetectionOptions> options, ILogger<CurfewSweeper> logger) : PeriodicJob(time, logger)
{
    protected override TimeSpan Interval => options.Value.SweepInterval;

    public override async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var total = 0;
        while (true)
        {
            var now = Time.GetUtcNow();
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            await using var tx = await connection.BeginTransactionAsync(ct);
            var rows = new List<(RulesLoader.PersonRow Person, byte[] State, EvidencePoint? Last)>();
            await using (var cmd = new NpgsqlCommand("""
                SELECT p.id, p.reference, p.region, p.officer_subject, p.supervision_start, p.supervision_end, s.state,
                       s.watermark, s.last_latitude, s.last_longitude, s.last_accuracy
                FROM person_state s JOIN persons p ON p.id = s.person_id
                WHERE s.curfew_due_at <= @now
                ORDER BY s.person_id LIMIT @batch FOR UPDATE OF s SKIP LOCKED
                """, connection, tx))
            {
                cmd.Parameters.AddWithValue("now", now);
                cmd.Parameters.AddWithValue("batch", options.Value.BatchSize);
                await using var r = await cmd.ExecuteReaderAsync(ct);
                while (await r.ReadAsync(ct))
                {
                    var last = r.IsDBNull(7) || r.IsDBNull(8) ? null : new EvidencePoint(r.GetFieldValue<DateTimeOffset>(7), r.GetDouble(8), r.GetDouble(9), r.GetFloat(10));
                    rows.Add((new RulesLoader.PersonRow(r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetFieldValue<DateTimeOffset>(4),
                        r.GetFieldValue<DateTimeOffset>(5)), r.GetFieldValue<byte[]>(6), last));
                }
            }

            if (rows.Count == 0)
            {
                return total;
            }

            var rules = await RulesLoader.LoadAsync(connection, tx, rows.Select(r => r.Person).ToArray(), now, ct);
            var next = new List<(Guid, DateTimeOffset?)>();
            var alerts = 0;
            foreach (var (person, stateBytes, last) in rows)
            {
                var personRules = rules[person.Id];
                var state = MonitorState.Decode(stateBytes);
                var candidates = new List<ViolationCandidate>();
                var recheckSoon = false;
                foreach (var zone in personRules.Zones.Where(z => z.Kind == ZoneKind.Inclusion && z.Curfews.Count > 0))
                {
                    if (PersonEvaluator.CurfewBreach(personRules, zone, state, now) is { } breach)
                    {
                        candidates.Add(new ViolationCandidate(person.Id, ViolationKinds.CurfewBreach, Severities.High, breach.Key, zone.Id, null, breach.StartedAt,
                            null, last, last is null ? [] : [last], personRules.InCustody(now)));
                    }
                    else if (zone.Curfews.Any(c => c.WindowContaining(now) is not null))
                    {
                        // Inside a window but excused for now: the exception may end before the window does.
                        recheckSoon = true;
                    }
                }

                alerts += await violations.WriteAsync(connection, tx, new PersonRef(person.Id, person.Reference, person.Region, person.Officer), candidates, ct);
                var upcoming = personRules.Zones.Where(z => z.Kind == ZoneKind.Inclusion && state.Trackers.TryGetValue((z.Id, 0), out var t) && t.Side == Side.Outside)
                    .SelectMany(z => z.Curfews).Select(c => c.NextStartAfter(now)).Where(d => d is not null).Min();
                next.Add((person.Id, recheckSoon ? now + Interval : upcoming));
                total += candidates.Count;
            }

            await using (var cmd = new NpgsqlCommand(
                "UPDATE person_state s SET curfew_due_at = u.due FROM unnest(@ids, @due) AS u(id, due) WHERE s.person_id = u.id", connection, tx))
            {
                cmd.Parameters.AddWithValue("ids", next.Select(n => n.Item1).ToArray());
                cmd.Parameters.Add(new NpgsqlParameter("due", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = next.Select(n => n.Item2).ToArray() });
                await cmd.ExecuteNonQueryAsync(ct);
            }

            await tx.CommitAsync(ct);
            if (alerts > 0)
            {
                enrichment.Notify();
            }

            if (rows.Count < options.Value.BatchSize)
            {
                return total;
            }
        }
    }
}
