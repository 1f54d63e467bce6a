using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using PublicSafety.Probation.Apis;
using PublicSafety.Probation.Evaluation;
using PublicSafety.Probation.Extensions;
using PublicSafety.Probation.Infrastructure;
using PublicSafety.ServiceDefaults.Hosting;

namespace PublicSafety.Probation.Background;

/// <summary>
/// Curfew over time, not only on new fixes: a person confirmed away from home whose curfew window has begun is in
/// breach even if the device sends nothing more. Looks at persons whose <c>curfew_due_at</c> has come (set by ingestion
/// and by this sweeper), records the breach under the same key the evaluator uses, and schedules the next look.
/// <para>
/// <c>curfew_due_at</c> is also the watermark: nothing since it has been looked at. When the sweeper was behind or the
/// service down across a whole window, the look catches up on every moment since then (bounded by the oldest fix the
/// service accepts) at which a window began or an exception ended, with the state the person was in at that moment
/// (the state stored with the last fix before it): a window already breached is the same episode key, so nothing is
/// recorded twice.
/// </para>
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
            var rows = new List<(RulesLoader.PersonRow Person, byte[] State, EvidencePoint? Last, DateTimeOffset Due)>();
            await using (var cmd = new NpgsqlCommand("""
                SELECT p.id, p.reference, p.region, p.officer_subject, p.supervision_start, p.supervision_end, s.state,
                       s.watermark, s.last_latitude, s.last_longitude, s.last_accuracy, s.curfew_due_at
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
                        r.GetFieldValue<DateTimeOffset>(5)), r.GetFieldValue<byte[]>(6), last, r.GetFieldValue<DateTimeOffset>(11)));
                }
            }

            if (rows.Count == 0)
            {
                return total;
            }

            var oldest = now - Validation.MaxFixAge;
            var rules = await RulesLoader.LoadAsync(connection, tx, rows.Select(r => r.Person).ToArray(), oldest, ct);
            var next = new List<(Guid, DateTimeOffset?)>();
            var alerts = 0;
            foreach (var (person, stateBytes, last, due) in rows)
            {
                var personRules = rules[person.Id];
                var state = MonitorState.Decode(stateBytes);
                var from = due > oldest ? due : oldest;
                var moments = Moments(personRules, from, now);
                var past = await StatesAtAsync(connection, tx, person.Id, moments.Where(m => last is not null && m < last.FixTime).ToArray(), ct);
                var candidates = new List<ViolationCandidate>();
                foreach (var at in moments)
                {
                    var (stateAt, lastAt) = past.TryGetValue(at, out var p) ? p : (state, last);
                    foreach (var zone in personRules.Zones.Where(z => z.Kind == ZoneKind.Inclusion && z.Curfews.Count > 0))
                    {
                        if (PersonEvaluator.CurfewBreach(personRules, zone, stateAt, at) is { } breach && candidates.All(c => c.EpisodeKey != breach.Key))
                        {
                            candidates.Add(new ViolationCandidate(person.Id, ViolationKinds.CurfewBreach, Severities.High, breach.Key, zone.Id, null, breach.StartedAt,
                                null, lastAt, lastAt is null ? [] : [lastAt], personRules.InCustody(at)));
                        }
                    }
                }

                // Inside a window but excused for now: the exception may end before the window does.
                var recheckSoon = personRules.Zones.Any(z => z.Kind == ZoneKind.Inclusion && z.Curfews.Any(c => c.WindowContaining(now) is not null)
                    && PersonEvaluator.CurfewBreach(personRules, z, state, now) is null && state.Trackers.TryGetValue((z.Id, 0), out var t) && t.Side == Side.Outside);

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
    /// <summary>
    /// The moments in [<paramref name="from"/>, <paramref name="now"/>] at which a breach may begin without a fix: the
    /// start of the look itself, each window start, each end of an exception and the start of supervision. A window the
    /// person was away for is seen at one of these; between them nothing but a fix changes the answer, and a fix is
    /// evaluated when it arrives.
    /// </summary>
    private static List<DateTimeOffset> Moments(PersonRules rules, DateTimeOffset from, DateTimeOffset now)
    {
        var moments = new SortedSet<DateTimeOffset> { from, now };
        foreach (var curfew in rules.Zones.Where(z => z.Kind == ZoneKind.Inclusion).SelectMany(z => z.Curfews))
        {
            for (var at = from; curfew.NextStartAfter(at) is { } start && start <= now; at = start)
            {
                moments.Add(start);
            }
        }

        foreach (var end in rules.Exceptions.Select(e => e.End).Append(rules.SupervisionStart))
        {
            if (end is { } e && e > from && e < now)
            {
                moments.Add(e);
            }
        }

        return [.. moments];
    }

    /// <summary>The state and position of the last fix at or before each moment (moments before the newest fix only).</summary>
    private static async Task<Dictionary<DateTimeOffset, (MonitorState, EvidencePoint?)>> StatesAtAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, Guid person, DateTimeOffset[] moments, CancellationToken ct)
    {
        var states = new Dictionary<DateTimeOffset, (MonitorState, EvidencePoint?)>();
        if (moments.Length == 0)
        {
            return states;
        }

        await using var cmd = new NpgsqlCommand("""
            SELECT m.i, p.state, p.fix_time, p.latitude, p.longitude, p.accuracy
            FROM unnest(@moments) WITH ORDINALITY AS m(at, i)
            LEFT JOIN LATERAL (SELECT state, fix_time, latitude, longitude, accuracy FROM positions
                               WHERE person_id = @p AND fix_time <= m.at ORDER BY fix_time DESC, device_id DESC LIMIT 1) p ON true
            """, connection, tx);
        cmd.Parameters.AddWithValue("p", person);
        cmd.Parameters.AddWithValue("moments", moments);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            // By position, not by the value read back: PostgreSQL keeps microseconds, the clock gives ticks.
            states[moments[r.GetInt64(0) - 1]] = r.IsDBNull(1)
                ? (new MonitorState(), null)
                : (MonitorState.Decode(r.GetFieldValue<byte[]>(1)),
                    new EvidencePoint(r.GetFieldValue<DateTimeOffset>(2), r.GetDouble(3), r.GetDouble(4), r.GetFloat(5)));
        }

        return states;
    }
}
