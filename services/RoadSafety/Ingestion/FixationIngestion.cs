using System.Text.Json;
using Microsoft.Extensions.Options;
using Npgsql;
using PublicSafety.Contracts.RoadSafety;
using PublicSafety.RoadSafety.Extensions;
using PublicSafety.RoadSafety.Model;
using PublicSafety.ServiceDefaults;
using PublicSafety.ServiceDefaults.Auth;
using PublicSafety.ServiceDefaults.Messaging.Outbox;

namespace PublicSafety.RoadSafety.Ingestion;

/// <summary>
/// Ingests a vendor's batch in one transaction: validation, the admissibility decision (on the fixation's own time, with
/// the rule version in effect then), a multi-row insert deduplicated by (device, sequence), violations with their
/// <see cref="ViolationRecorded"/> events in the same round trip, daily counts, and average-speed matching.
/// A retried batch inserts nothing and gets the original outcome of every record.
/// </summary>
public sealed partial class FixationIngestion(
    NpgsqlDataSource db, IOutbox outbox, TimeProvider time, IOptions<RoadSafetyOptions> options, SectionMatcher sections, RoadSafetyMetrics metrics,
    ILogger<FixationIngestion> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private const string Insert = """
        INSERT INTO fixations (id, device_id, device_sequence, occurred_at, received_at, plate, speed_kmh, limit_kmh, lane, violation_code,
                               red_elapsed_ms, evidence, outcome, reason, rule_version, region)
        SELECT id, device_id, seq, at, @received, plate, speed, lim, lane::smallint, code, red, evidence::jsonb, outcome, reason, rule, region
        FROM unnest(@ids, @devices, @seqs, @ats, @plates, @speeds, @limits, @lanes, @codes, @reds, @evidence, @outcomes, @reasons, @rules, @regions)
             AS r(id, device_id, seq, at, plate, speed, lim, lane, code, red, evidence, outcome, reason, rule, region)
        ON CONFLICT (device_id, device_sequence) DO NOTHING
        RETURNING id
        """;

    private const string Originals = """
        SELECT f.device_id, f.device_sequence, f.id, f.outcome, f.reason, f.rule_version, v.id, sv.id
        FROM unnest(@devices, @seqs) AS k(device_id, seq)
        JOIN fixations f ON f.device_id = k.device_id AND f.device_sequence = k.seq
        LEFT JOIN violations v ON v.fixation_id = f.id AND v.kind = 'instant'
        LEFT JOIN violations sv ON sv.fixation_id = f.id AND sv.kind = 'section'
        """;

    /// <summary>
    /// Ingests <paramref name="records"/> posted by <paramref name="vendorClientId"/>. A device of another vendor, or outside the
    /// caller's <paramref name="scope"/>, is treated as unknown: that record is rejected and nothing of the device changes.
    /// </summary>
    public async Task<FixationBatchResult> IngestAsync(string vendorClientId, RegionScope scope, IReadOnlyList<FixationRecord?> records, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        var now = time.GetUtcNow();
        var results = new FixationResult?[records.Count];
        var candidates = new List<Candidate>(records.Count);
        for (var i = 0; i < records.Count; i++)
        {
            if (FixationChecks.Check(records[i], now, options.Value) is { } reason)
            {
                results[i] = Rejected(i, records[i], reason);
            }
            else
            {
                candidates.Add(new Candidate(i, records[i]!, FixationChecks.Normalize(records[i]!.Plate!)));
            }
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var answer = await IngestOnceAsync(vendorClientId, scope, candidates, results, now, ct);
                metrics.BatchIngested(answer, time.GetElapsedTime(started));
                return answer;
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure && attempt < 3)
            {
                // Two overlapping retries of the same batch can meet on each other's keys: the transaction rolled back whole, so redo it.
                LogRetry(attempt, e.SqlState);
            }
        }
    }

    private async Task<FixationBatchResult> IngestOnceAsync(string vendor, RegionScope scope, List<Candidate> candidates, FixationResult?[] results, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var deviceIds = candidates.Select(c => c.Record.DeviceId!.Value).Distinct().ToArray();
        var devices = await DeviceState.LoadAsync(connection, deviceIds, scope.Region, ct);
        var rules = await RuleSet.LoadAsync(connection, ct);

        // Decide every record before writing anything; sort the rows to write so concurrent batches take locks in one order.
        var rows = new List<Row>(candidates.Count);
        var seen = new Dictionary<(Guid, long), Row>();
        foreach (var c in candidates)
        {
            var r = c.Record;
            // Unknown, foreign and out-of-scope devices get the same answer: a vendor learns nothing about devices that are not its own.
            if (!devices.TryGetValue(r.DeviceId!.Value, out var device) || device.VendorClientId != vendor)
            {
                results[c.Index] = Rejected(c.Index, r, Reasons.NotYourDevice);
                continue;
            }

            if (device.Status is "planned" or "decommissioned")
            {
                results[c.Index] = Rejected(c.Index, r, Reasons.DeviceNotInService);
                continue;
            }

            var rule = RuleSet.At(rules, r.OccurredAt!.Value);
            if (r.SpeedKmh > rule.MaxPlausibleSpeedKmh)
            {
                results[c.Index] = Rejected(c.Index, r, Reasons.ImplausibleSpeed, rule.Version);
                continue;
            }

            if (r.ViolationCode is { } code && !Vocabulary.CodesByKind[device.Kind].Contains(code))
            {
                results[c.Index] = Rejected(c.Index, r, Reasons.CodeNotSupported);
                continue;
            }

            if (seen.TryGetValue((device.Id, r.Sequence!.Value), out var first))
            {
                first.Copies.Add(c.Index);
                continue;
            }

            var reason = device.DeviceReason(r.OccurredAt.Value) ?? FixationChecks.OffenceReason(r, rule);
            var row = new Row(c, device, rule, Guid.CreateVersion7(), reason, IsViolation: reason is null && r.ViolationCode is not null);
            seen[(device.Id, r.Sequence.Value)] = row;
            rows.Add(row);
        }

        rows.Sort((a, b) => a.Device.Id != b.Device.Id ? a.Device.Id.CompareTo(b.Device.Id) : a.Sequence.CompareTo(b.Sequence));
        var inserted = new HashSet<Guid>();
        var duplicates = new Dictionary<(Guid, long), Original>();
        var violations = new List<ViolationRow>();
        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            if (rows.Count > 0)
            {
                await using (var insert = new NpgsqlCommand(Insert, connection, tx))
                {
                    AddRowParameters(insert, rows, now);
                    await using var reader = await insert.ExecuteReaderAsync(ct);
                    while (await reader.ReadAsync(ct)) inserted.Add(reader.GetGuid(0));
                }

                var repeated = rows.Where(r => !inserted.Contains(r.Id)).ToArray();
                if (repeated.Length > 0)
                {
                    await using var originals = new NpgsqlCommand(Originals, connection, tx);
                    originals.Parameters.AddWithValue("devices", repeated.Select(r => r.Device.Id).ToArray());
                    originals.Parameters.AddWithValue("seqs", repeated.Select(r => r.Sequence).ToArray());
                    await using var reader = await originals.ExecuteReaderAsync(ct);
                    while (await reader.ReadAsync(ct))
                    {
                        duplicates[(reader.GetGuid(0), reader.GetInt64(1))] = new Original(reader.GetGuid(2), reader.GetString(3),
                            reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetInt32(5), reader.IsDBNull(6) ? null : reader.GetGuid(6),
                            reader.IsDBNull(7) ? null : reader.GetGuid(7));
                    }
                }

                var fresh = rows.Where(r => inserted.Contains(r.Id)).ToList();
                foreach (var row in fresh.Where(r => r.IsViolation))
                {
                    violations.Add(new ViolationRow(Guid.CreateVersion7(), "instant", row.Id, null, null, row.Device.Id, row.Device.Region,
                        row.Candidate.Record.ViolationCode!, row.OccurredAt, (double?)row.Candidate.Record.SpeedKmh, row.Candidate.Record.LimitKmh, row.Rule.Version));
                }

                var sectionFixations = fresh.Where(r => r.Device.InSection).Select(r => r.Id).ToArray();
                if (sectionFixations.Length > 0)
                {
                    violations.AddRange(await sections.MatchAsync(connection, tx, fresh.Where(r => r.Device.InSection).Select(r => r.Device.Id).Distinct().ToArray(),
                        sectionFixations, now, ct));
                }

                if (fresh.Count > 0)
                {
                    violations = await WriteEffectsAsync(connection, tx, fresh, violations, now, ct);
                }
            }

            await tx.CommitAsync(ct);
        }

        var recorded = violations.ToDictionary(v => (v.FixationId, v.Kind), v => (Guid?)v.Id);
        foreach (var row in rows)
        {
            FixationResult answer;
            if (inserted.Contains(row.Id))
            {
                answer = new FixationResult(row.Candidate.Index, row.Device.Id, row.Sequence, row.Reason is null ? FixationStatus.Accepted : FixationStatus.Inadmissible,
                    row.Reason, null, row.Id, recorded.GetValueOrDefault((row.Id, "instant")), row.Rule.Version,
                    recorded.GetValueOrDefault((row.Id, "section")));
            }
            else
            {
                var o = duplicates[(row.Device.Id, row.Sequence)];
                answer = new FixationResult(row.Candidate.Index, row.Device.Id, row.Sequence, FixationStatus.Duplicate, o.Reason, o.Outcome, o.FixationId, o.ViolationId,
                    o.RuleVersion, o.SectionViolationId);
            }

            results[row.Candidate.Index] = answer;
            foreach (var copy in row.Copies)
            {
                results[copy] = answer with { Index = copy, Status = FixationStatus.Duplicate, OriginalStatus = answer.Status == FixationStatus.Duplicate ? answer.OriginalStatus : answer.Status };
            }
        }

        var all = results.Select(r => r!).ToArray();
        return new FixationBatchResult(
            all.Count(r => r.Status == FixationStatus.Accepted), all.Count(r => r.Status == FixationStatus.Duplicate),
            all.Count(r => r.Status == FixationStatus.Inadmissible), all.Count(r => r.Status == FixationStatus.Rejected), all);
    }

    /// <summary>Writes the violations, their events and the counts; returns the violations actually recorded.</summary>
    private async Task<List<ViolationRow>> WriteEffectsAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, List<Row> fresh, List<ViolationRow> violations, DateTimeOffset now, CancellationToken ct)
    {
        if (violations.Count > 0)
        {
            // A violation already on record for the same fixation and kind is not recorded again: it gets no second event.
            await using var insert = new NpgsqlCommand("""
                INSERT INTO violations (id, kind, fixation_id, entry_fixation_id, section_id, device_id, region, violation_code, occurred_at,
                                        measured_speed_kmh, limit_kmh, rule_version, recorded_at)
                SELECT *, @now FROM unnest(@ids, @kinds, @fixations, @entries, @sections, @devices, @regions, @codes, @ats, @speeds, @limits, @rules)
                ON CONFLICT (fixation_id, kind) DO NOTHING
                RETURNING id
                """, connection, tx);
            insert.Parameters.AddWithValue("now", now);
            insert.Parameters.AddWithValue("ids", violations.Select(v => v.Id).ToArray());
            insert.Parameters.AddWithValue("kinds", violations.Select(v => v.Kind).ToArray());
            insert.Parameters.AddWithValue("fixations", violations.Select(v => v.FixationId).ToArray());
            insert.Parameters.AddWithValue("entries", violations.Select(v => v.EntryFixationId).ToArray());
            insert.Parameters.AddWithValue("sections", violations.Select(v => v.SectionId).ToArray());
            insert.Parameters.AddWithValue("devices", violations.Select(v => v.DeviceId).ToArray());
            insert.Parameters.AddWithValue("regions", violations.Select(v => v.Region).ToArray());
            insert.Parameters.AddWithValue("codes", violations.Select(v => v.Code).ToArray());
            insert.Parameters.AddWithValue("ats", violations.Select(v => v.OccurredAt).ToArray());
            insert.Parameters.AddWithValue("speeds", violations.Select(v => v.SpeedKmh).ToArray());
            insert.Parameters.AddWithValue("limits", violations.Select(v => v.LimitKmh).ToArray());
            insert.Parameters.AddWithValue("rules", violations.Select(v => v.RuleVersion).ToArray());
            var ids = new HashSet<Guid>();
            await using (var reader = await insert.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct)) ids.Add(reader.GetGuid(0));
            }

            violations = violations.Where(v => ids.Contains(v.Id)).ToList();
        }

        await using var batch = new NpgsqlBatch(connection, tx);
        foreach (var v in violations)
        {
            outbox.Add(batch, new ViolationRecorded(v.Id, v.FixationId, v.DeviceId, v.Region, v.Code, v.OccurredAt, v.RuleVersion) { OccurredAt = now },
                v.DeviceId.ToString());
        }

        var deviceIds = fresh.Select(r => r.Device.Id).Distinct().Order().ToArray();
        // The device reported: it is not silent any more, and an open silence ends now. NO KEY UPDATE, in id order: it must
        // not wait for the key-share locks that concurrent batches' fixation inserts hold on the same device row.
        var devices = new NpgsqlBatchCommand("""
            UPDATE devices d SET last_report_at = GREATEST(d.last_report_at, @now), silent_since = NULL
            FROM (SELECT id FROM devices WHERE id = ANY(@ids) ORDER BY id FOR NO KEY UPDATE) l WHERE d.id = l.id
            """);
        devices.Parameters.AddWithValue("now", now);
        devices.Parameters.AddWithValue("ids", deviceIds);
        batch.BatchCommands.Add(devices);
        var silences = new NpgsqlBatchCommand("UPDATE device_silences SET silent_until = @now WHERE device_id = ANY(@ids) AND silent_until IS NULL");
        silences.Parameters.AddWithValue("now", now);
        silences.Parameters.AddWithValue("ids", deviceIds);
        batch.BatchCommands.Add(silences);

        var instant = violations.Where(v => v.Kind == "instant").Select(v => v.FixationId).ToHashSet();
        var counts = fresh.GroupBy(r => (r.Device.Id, Day: Kazakhstan.LocalDate(r.OccurredAt)))
            .ToDictionary(g => g.Key, g => (Fixations: g.Count(), Violations: g.Count(r => instant.Contains(r.Id))));
        foreach (var v in violations.Where(v => v.Kind == "section"))
        {
            var key = (v.DeviceId, Kazakhstan.LocalDate(v.OccurredAt));
            counts[key] = counts.TryGetValue(key, out var c) ? (c.Fixations, c.Violations + 1) : (0, 1);
        }

        var ordered = counts.OrderBy(c => c.Key.Item1).ThenBy(c => c.Key.Item2).ToArray();
        var daily = new NpgsqlBatchCommand("""
            INSERT INTO device_daily_counts (device_id, day, fixations, violations)
            SELECT * FROM unnest(@devices, @days, @fixations, @violations)
            ON CONFLICT (device_id, day) DO UPDATE
            SET fixations = device_daily_counts.fixations + excluded.fixations, violations = device_daily_counts.violations + excluded.violations
            """);
        daily.Parameters.AddWithValue("devices", ordered.Select(c => c.Key.Item1).ToArray());
        daily.Parameters.AddWithValue("days", ordered.Select(c => c.Key.Item2).ToArray());
        daily.Parameters.AddWithValue("fixations", ordered.Select(c => c.Value.Fixations).ToArray());
        daily.Parameters.AddWithValue("violations", ordered.Select(c => c.Value.Violations).ToArray());
        batch.BatchCommands.Add(daily);
        await batch.ExecuteNonQueryAsync(ct);
        return violations;
    }

    private static void AddRowParameters(NpgsqlCommand insert, List<Row> rows, DateTimeOffset now)
    {
        insert.Parameters.AddWithValue("received", now);
        insert.Parameters.AddWithValue("ids", rows.Select(r => r.Id).ToArray());
        insert.Parameters.AddWithValue("devices", rows.Select(r => r.Device.Id).ToArray());
        insert.Parameters.AddWithValue("seqs", rows.Select(r => r.Sequence).ToArray());
        insert.Parameters.AddWithValue("ats", rows.Select(r => r.OccurredAt).ToArray());
        insert.Parameters.AddWithValue("plates", rows.Select(r => r.Candidate.Plate).ToArray());
        insert.Parameters.AddWithValue("speeds", rows.Select(r => r.Candidate.Record.SpeedKmh).ToArray());
        insert.Parameters.AddWithValue("limits", rows.Select(r => r.Candidate.Record.LimitKmh).ToArray());
        insert.Parameters.AddWithValue("lanes", rows.Select(r => r.Candidate.Record.Lane).ToArray());
        insert.Parameters.AddWithValue("codes", rows.Select(r => r.Candidate.Record.ViolationCode).ToArray());
        insert.Parameters.AddWithValue("reds", rows.Select(r => r.Candidate.Record.RedElapsedMs).ToArray());
        insert.Parameters.AddWithValue("evidence", rows.Select(r => JsonSerializer.Serialize(r.Candidate.Record.Evidence ?? [], Json)).ToArray());
        insert.Parameters.AddWithValue("outcomes", rows.Select(r => r.Reason is null ? FixationStatus.Accepted : FixationStatus.Inadmissible).ToArray());
        insert.Parameters.AddWithValue("reasons", rows.Select(r => r.Reason).ToArray());
        insert.Parameters.AddWithValue("rules", rows.Select(r => r.Rule.Version).ToArray());
        insert.Parameters.AddWithValue("regions", rows.Select(r => r.Device.Region).ToArray());
    }

    private static FixationResult Rejected(int index, FixationRecord? r, string reason, int? ruleVersion = null) =>
        new(index, r?.DeviceId, r?.Sequence, FixationStatus.Rejected, reason, null, null, null, ruleVersion, null);

    [LoggerMessage(LogLevel.Warning, "Fixation batch retried after {SqlState} (attempt {Attempt})")]
    private partial void LogRetry(int attempt, string sqlState);

    private sealed record Candidate(int Index, FixationRecord Record, string Plate);

    private sealed record Original(Guid FixationId, string Outcome, string? Reason, int RuleVersion, Guid? ViolationId, Guid? SectionViolationId);

    private sealed record Row(Candidate Candidate, DeviceState Device, RuleSet Rule, Guid Id, string? Reason, bool IsViolation)
    {
        public long Sequence => Candidate.Record.Sequence!.Value;

        public DateTimeOffset OccurredAt => Candidate.Record.OccurredAt!.Value.ToUniversalTime();

        public List<int> Copies { get; } = [];
    }
}

public sealed record ViolationRow(
    Guid Id, string Kind, Guid FixationId, Guid? EntryFixationId, Guid? SectionId, Guid DeviceId, string Region, string Code, DateTimeOffset OccurredAt,
    double? SpeedKmh, int? LimitKmh, int RuleVersion);
