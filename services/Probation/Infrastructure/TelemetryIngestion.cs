using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;
using PublicSafety.Probation.Evaluation;
using PublicSafety.Probation.Model;
using PublicSafety.ServiceDefaults.Auth;

namespace PublicSafety.Probation.Infrastructure;

/// <summary>
/// Stores a vendor's batch and evaluates it, in one transaction: one round trip loads the devices (locked, so that an
/// assignment or release waits for the batch), the persons' states (locked, in person order, so replicas never evaluate
/// one person at once), zones, exceptions and custody; the evaluation runs in memory; one round trip writes positions,
/// states and device contact. Fixes newer than a person's
/// watermark continue from the stored state; an older fix (a late batch) makes the person replay from the fix before it
/// (<see cref="ReplayAsync"/>), so arrival order never changes the result.
/// </summary>
public sealed partial class TelemetryIngestion(
    NpgsqlDataSource dataSource, PersonEvaluator evaluator, ViolationWriter violations, DeviceEventHandler deviceEvents,
    CameraEnrichmentSignal enrichment, ProbationMetrics metrics, TimeProvider time)
{
    /// <summary>
    /// Applies the reports of the vendor's assigned devices inside <paramref name="scope"/> (the caller's); the other serials
    /// are returned as unknown and nothing of theirs is stored or changed.
    /// </summary>
    public async Task<TelemetryResult> IngestAsync(string vendor, RegionScope scope, IReadOnlyList<PositionReport> positions, IReadOnlyList<DeviceEventReport> events,
        CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var now = time.GetUtcNow();
        var serials = positions.Select(p => p.Device!).Concat(events.Select(e => e.Device!)).Distinct(StringComparer.Ordinal).ToArray();
        var oldest = positions.Select(p => p.FixTime!.Value).Concat(events.Select(e => e.At!.Value)).DefaultIfEmpty(now).Min();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var loaded = await LoadAsync(connection, tx, vendor, scope, serials, oldest, events, now, ct);

        var unknown = serials.Where(s => !loaded.Devices.ContainsKey(s)).ToArray();
        metrics.UnknownDevices.Add(unknown.Length);
        var byPerson = new Dictionary<Guid, List<Fix>>();
        var seen = new HashSet<(Guid, DateTimeOffset)>();
        var inBatchDuplicates = 0;
        var positionsBeforeAssignment = 0;
        foreach (var p in positions)
        {
            if (!loaded.Devices.TryGetValue(p.Device!, out var device))
            {
                continue;
            }

            // A late upload from a device that has since moved to another person: the fix is where its previous wearer was.
            if (p.FixTime < device.AssignedAt)
            {
                positionsBeforeAssignment++;
                continue;
            }

            if (!seen.Add((device.Id, p.FixTime!.Value)))
            {
                inBatchDuplicates++;
                continue;
            }

            if (!byPerson.TryGetValue(device.PersonId, out var list))
            {
                byPerson[device.PersonId] = list = [];
            }

            list.Add(new Fix(device.Id, p.FixTime!.Value, p.Latitude!.Value, p.Longitude!.Value, p.Accuracy!.Value, p.Speed, now));
        }

        var writes = new PositionWrites();
        var candidates = new List<(PersonRef, ViolationCandidate)>();
        var duplicates = inBatchDuplicates;
        foreach (var (personId, fixes) in byPerson)
        {
            var person = loaded.Persons[personId];
            fixes.Sort(FixOrder);
            var fresh = person.Watermark is { } w ? fixes.Where(f => f.FixTime > w).ToList() : fixes;
            PersonEvaluator.Result result;
            List<Fix> evaluated;
            if (fresh.Count == fixes.Count)
            {
                evaluated = fixes;
                result = evaluator.Evaluate(person.Rules, MonitorState.Decode(person.State), fixes);
                writes.AddNew(personId, fixes, result.States, 0);
            }
            else
            {
                (evaluated, result, var dups) = await ReplayAsync(connection, tx, person, fixes, writes, ct);
                duplicates += dups;
                if (evaluated.Count == 0)
                {
                    continue;
                }
            }

            var newest = evaluated[^1];
            writes.AddState(personId, newest, result.Final, AwaySince(person.Rules, result.Final), CurfewDue(person.Rules, evaluated, result.States));
            candidates.AddRange(result.Violations.Select(v => (person.Ref, v)));
        }

        foreach (var e in loaded.NewEvents)
        {
            if (loaded.Persons.TryGetValue(e.PersonId, out var person) && deviceEvents.Violation(person, e, now) is { } v)
            {
                candidates.Add((person.Ref, v));
            }
        }

        await WriteAsync(connection, tx, writes, loaded, now, ct);
        var alerts = 0;
        foreach (var group in candidates.GroupBy(c => c.Item1.Id))
        {
            alerts += await violations.WriteAsync(connection, tx, group.First().Item1, group.Select(g => g.Item2), ct);
        }

        await tx.CommitAsync(ct);
        if (alerts > 0)
        {
            enrichment.Notify();
        }

        metrics.Positions.Add(writes.NewCount);
        metrics.Duplicates.Add(duplicates);
        metrics.BatchDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
        var eventsBeforeAssignment = events.Count(e => loaded.Devices.TryGetValue(e.Device!, out var d) && e.At < d.AssignedAt);
        return new TelemetryResult(writes.NewCount, duplicates, loaded.NewEvents.Count, candidates.Count, unknown, positionsBeforeAssignment, eventsBeforeAssignment);
    }

    private static readonly Comparison<Fix> FixOrder = (a, b) =>
        a.FixTime != b.FixTime ? a.FixTime.CompareTo(b.FixTime) : a.DeviceId.CompareTo(b.DeviceId);

    /// <summary>The earliest time the person was confirmed outside a zone that has a curfew, for the curfew sweeper.</summary>
    public static DateTimeOffset? AwaySince(PersonRules rules, MonitorState state)
    {
        DateTimeOffset? away = null;
        foreach (var zone in rules.Zones.Where(z => z.Kind == ZoneKind.Inclusion && z.Curfews.Count > 0))
        {
            if (state.Trackers.TryGetValue((zone.Id, 0), out var t) && t.Side == Side.Outside && (away is null || t.Since < away))
            {
                away = t.Since;
            }
        }

        return away;
    }

    /// <summary>
    /// When the curfew sweeper must look next: from the newest fix's state as before, but also the first window start after
    /// any earlier fix of the batch that left the person away until the next fix. A late upload (away at 20:30, home at
    /// 07:00) may show an absence across a whole window no fix fell in; only the sweeper records that window, and it
    /// catches up from this moment even though it is already past.
    /// </summary>
    private static DateTimeOffset? CurfewDue(PersonRules rules, List<Fix> evaluated, IReadOnlyList<byte[]> states)
    {
        var due = PersonEvaluator.CurfewDue(rules, MonitorState.Decode(states[^1]), evaluated[^1].FixTime);
        if (!rules.Zones.Any(z => z.Kind == ZoneKind.Inclusion && z.Curfews.Count > 0))
        {
            return due;
        }

        for (var i = 0; i < evaluated.Count - 1; i++)
        {
            if (PersonEvaluator.NextCurfewStart(rules, MonitorState.Decode(states[i]), evaluated[i].FixTime) is { } start
                && start < evaluated[i + 1].FixTime && (due is null || start < due))
            {
                due = start;
            }
        }

        return due;
    }

    /// <summary>
    /// Some fixes are not newer than the watermark: drop those already stored, then re-evaluate everything from the
    /// earliest new one, starting from the state stored with the fix before it; stored fixes get their new states.
    /// </summary>
    private async Task<(List<Fix> Evaluated, PersonEvaluator.Result Result, int Duplicates)> ReplayAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, LoadedPerson person, List<Fix> fixes, PositionWrites writes, CancellationToken ct)
    {
        var existing = new HashSet<(Guid, DateTimeOffset)>();
        await using (var cmd = new NpgsqlCommand(
            "SELECT device_id, fix_time FROM positions WHERE person_id = @p AND fix_time = ANY(@t)", connection, tx))
        {
            cmd.Parameters.AddWithValue("p", person.Rules.PersonId);
            cmd.Parameters.AddWithValue("t", fixes.Where(f => f.FixTime <= person.Watermark).Select(f => f.FixTime).ToArray());
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                existing.Add((r.GetGuid(0), r.GetFieldValue<DateTimeOffset>(1)));
            }
        }

        var incoming = fixes.Where(f => !existing.Contains((f.DeviceId, f.FixTime))).ToList();
        if (incoming.Count == 0)
        {
            return ([], new PersonEvaluator.Result([], MonitorState.Decode(person.State), []), fixes.Count);
        }

        metrics.LateReplays.Add(1);
        var from = incoming[0].FixTime;
        byte[]? prior = null;
        var stored = new List<Fix>();
        await using (var batch = new NpgsqlBatch(connection, tx))
        {
            var before = new NpgsqlBatchCommand("SELECT state FROM positions WHERE person_id = @p AND fix_time < @from ORDER BY fix_time DESC, device_id DESC LIMIT 1");
            before.Parameters.AddWithValue("p", person.Rules.PersonId);
            before.Parameters.AddWithValue("from", from);
            var after = new NpgsqlBatchCommand("""
                SELECT device_id, fix_time, latitude, longitude, accuracy, speed, received_at FROM positions
                WHERE person_id = @p AND fix_time >= @from ORDER BY fix_time, device_id
                """);
            after.Parameters.AddWithValue("p", person.Rules.PersonId);
            after.Parameters.AddWithValue("from", from);
            batch.BatchCommands.Add(before);
            batch.BatchCommands.Add(after);
            await using var r = await batch.ExecuteReaderAsync(ct);
            if (await r.ReadAsync(ct))
            {
                prior = r.GetFieldValue<byte[]>(0);
            }

            await r.NextResultAsync(ct);
            while (await r.ReadAsync(ct))
            {
                stored.Add(new Fix(r.GetGuid(0), r.GetFieldValue<DateTimeOffset>(1), r.GetDouble(2), r.GetDouble(3), r.GetFloat(4),
                    r.IsDBNull(5) ? null : r.GetFloat(5), r.GetFieldValue<DateTimeOffset>(6)));
            }
        }

        var all = stored.Concat(incoming).ToList();
        all.Sort(FixOrder);
        var result = evaluator.Evaluate(person.Rules, MonitorState.Decode(prior), all);
        var storedKeys = stored.Select(f => (f.DeviceId, f.FixTime)).ToHashSet();
        for (var i = 0; i < all.Count; i++)
        {
            if (storedKeys.Contains((all[i].DeviceId, all[i].FixTime)))
            {
                writes.AddRestate(person.Rules.PersonId, all[i], result.States[i]);
            }
            else
            {
                writes.AddNew(person.Rules.PersonId, [all[i]], result.States, i);
            }
        }

        return (all, result, fixes.Count - incoming.Count);
    }
}
