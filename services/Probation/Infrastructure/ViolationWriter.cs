using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using PublicSafety.Contracts.Probation;
using PublicSafety.Probation.Apis;
using PublicSafety.Probation.Evaluation;
using PublicSafety.ServiceDefaults.Messaging.Outbox;

namespace PublicSafety.Probation.Infrastructure;

/// <summary>Who a violation is about, as alerts and events need it.</summary>
public sealed record PersonRef(Guid Id, string Reference, string Region, string OfficerSubject);

/// <summary>
/// Records violations in the caller's transaction. A candidate whose episode is already recorded (a retry, a duplicate,
/// a second replica, or the same episode reached from a late batch) changes the existing row at most; a new one gets an
/// alert for the supervising officer and <see cref="ProbationViolationDetected"/> in the outbox, unless it happened in
/// custody (then it is kept, suppressed, with neither).
/// </summary>
public sealed class ViolationWriter(IOutbox outbox, TimeProvider time, ProbationMetrics metrics)
{
    private const string Upsert = """
        WITH merged AS (
            UPDATE violations
            SET evidence = CASE WHEN @started < started_at THEN @evidence ELSE evidence END,
                started_at = LEAST(started_at, @started)
            WHERE person_id = @person AND kind = @kind
              AND (episode_key = @key OR (@merge_from IS NOT NULL AND zone_id = @zone AND started_at >= @merge_from
                                          AND (@merge_until IS NULL OR started_at <= @merge_until)))
            RETURNING id)
        INSERT INTO violations (id, person_id, kind, severity, episode_key, zone_id, device_id, started_at, detected_at, received_at,
                                latitude, longitude, evidence, suppressed, event_id, cause)
        SELECT @id, @person, @kind, @severity, @key, @zone, @device, @started, @now, @received, @lat, @lon, @evidence, @suppressed, @event, @cause
        WHERE NOT EXISTS (SELECT 1 FROM merged)
        ON CONFLICT (person_id, kind, episode_key) DO NOTHING
        RETURNING id
        """;

    private const string InsertAlert = """
        INSERT INTO alerts (id, violation_id, person_id, officer_subject, region, kind, severity, status, created_at, latitude, longitude, cameras_status, cause)
        VALUES (@id, @violation, @person, @officer, @region, @kind, @severity, 'open', @now, @lat, @lon, @cameras, @cause)
        """;

    /// <summary>Returns how many alerts were raised.</summary>
    public async Task<int> WriteAsync(NpgsqlConnection connection, NpgsqlTransaction tx, PersonRef person, IEnumerable<ViolationCandidate> candidates, CancellationToken ct)
    {
        var alerts = 0;
        foreach (var v in candidates)
        {
            var now = time.GetUtcNow();
            var id = Guid.CreateVersion7();
            var alertId = Guid.CreateVersion7();
            var evidence = v.Evidence.Select(e => new EvidenceDto(e.FixTime, e.Latitude, e.Longitude, e.Accuracy)).ToArray();
            // No positions in the event: the outbox and the broker are outside the audited read path (LocationStore).
            var @event = new ProbationViolationDetected(id, alertId, person.Reference, person.Region, v.Kind, v.Severity, v.StartedAt, now)
            {
                OccurredAt = now,
                Cause = v.Cause,
                SchemaVersion = 2,
            };
            bool inserted;
            await using (var cmd = new NpgsqlCommand(Upsert, connection, tx))
            {
                var p = cmd.Parameters;
                p.AddWithValue("id", id);
                p.AddWithValue("person", person.Id);
                p.AddWithValue("kind", v.Kind);
                p.AddWithValue("severity", v.Severity);
                p.AddWithValue("key", v.EpisodeKey);
                p.Add(new NpgsqlParameter<Guid?>("zone", v.ZoneId) { NpgsqlDbType = NpgsqlDbType.Uuid });
                p.Add(new NpgsqlParameter<Guid?>("device", v.DeviceId) { NpgsqlDbType = NpgsqlDbType.Uuid });
                p.AddWithValue("started", v.StartedAt);
                p.AddWithValue("now", now);
                p.Add(new NpgsqlParameter<DateTimeOffset?>("received", v.ReceivedAt) { NpgsqlDbType = NpgsqlDbType.TimestampTz });
                p.Add(new NpgsqlParameter<double?>("lat", v.Location?.Latitude) { NpgsqlDbType = NpgsqlDbType.Double });
                p.Add(new NpgsqlParameter<double?>("lon", v.Location?.Longitude) { NpgsqlDbType = NpgsqlDbType.Double });
                p.Add(new NpgsqlParameter("evidence", NpgsqlDbType.Jsonb) { Value = JsonSerializer.Serialize(evidence, JsonSerializerOptions.Web) });
                p.AddWithValue("suppressed", v.Suppressed);
                p.Add(new NpgsqlParameter<Guid?>("event", v.Suppressed ? null : @event.MessageId) { NpgsqlDbType = NpgsqlDbType.Uuid });
                p.Add(new NpgsqlParameter<DateTimeOffset?>("merge_from", v.MergeFrom) { NpgsqlDbType = NpgsqlDbType.TimestampTz });
                p.Add(new NpgsqlParameter<DateTimeOffset?>("merge_until", v.MergeUntil) { NpgsqlDbType = NpgsqlDbType.TimestampTz });
                p.Add(new NpgsqlParameter<string?>("cause", v.Cause) { NpgsqlDbType = NpgsqlDbType.Text });
                inserted = await cmd.ExecuteScalarAsync(ct) is Guid;
            }

            if (!inserted)
            {
                continue;
            }

            metrics.Violations.Add(1, new KeyValuePair<string, object?>("kind", v.Kind), new KeyValuePair<string, object?>("suppressed", v.Suppressed));
            if (v.Suppressed)
            {
                continue;
            }

            await using (var cmd = new NpgsqlCommand(InsertAlert, connection, tx))
            {
                var p = cmd.Parameters;
                p.AddWithValue("id", alertId);
                p.AddWithValue("violation", id);
                p.AddWithValue("person", person.Id);
                p.AddWithValue("officer", person.OfficerSubject);
                p.AddWithValue("region", person.Region);
                p.AddWithValue("kind", v.Kind);
                p.AddWithValue("severity", v.Severity);
                p.AddWithValue("now", now);
                p.Add(new NpgsqlParameter<double?>("lat", v.Location?.Latitude) { NpgsqlDbType = NpgsqlDbType.Double });
                p.Add(new NpgsqlParameter<double?>("lon", v.Location?.Longitude) { NpgsqlDbType = NpgsqlDbType.Double });
                p.AddWithValue("cameras", v.Location is null ? "not_applicable" : "pending");
                p.Add(new NpgsqlParameter<string?>("cause", v.Cause) { NpgsqlDbType = NpgsqlDbType.Text });
                await cmd.ExecuteNonQueryAsync(ct);
            }

            await outbox.AddAsync(tx, @event, person.Id.ToString(), ct);
            alerts++;
        }

        return alerts;
    }
}
