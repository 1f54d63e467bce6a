using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using PublicSafety.Cameras.Apis;
using PublicSafety.Contracts;
using PublicSafety.Contracts.Cameras;
using PublicSafety.ServiceDefaults.Messaging.Outbox;

namespace PublicSafety.Cameras.Health;

/// <summary>
/// Applies a batch of heartbeats in one statement. A camera that was offline and reports a recent heartbeat is online again,
/// and <see cref="CameraCameBackOnline"/> is recorded in the same transaction. Decommissioned cameras are not monitored.
/// </summary>
public sealed class HeartbeatIngestion(NpgsqlDataSource dataSource, IOutbox outbox, TimeProvider time, IOptions<HealthOptions> options,
    CamerasMetrics metrics)
{
    private const string Apply = """
        UPDATE cameras c
        SET last_seen_at = GREATEST(c.last_seen_at, b.at),
            health = CASE WHEN GREATEST(c.last_seen_at, b.at) >= @cutoff THEN 'online' ELSE c.health END,
            health_changed_at = CASE WHEN old.health <> 'online' AND GREATEST(c.last_seen_at, b.at) >= @cutoff THEN @now ELSE c.health_changed_at END
        FROM (SELECT id, max(at) AS at FROM unnest(@ids, @ats) AS v(id, at) GROUP BY id) b,
             (SELECT id, health, health_changed_at FROM cameras
              WHERE id = ANY(@ids) AND status <> 'decommissioned' AND (@scope::text IS NULL OR region = @scope)
                AND (@vendor::text IS NULL OR vendor_client_id = @vendor)
              ORDER BY id FOR UPDATE) old
        WHERE c.id = b.id AND c.id = old.id
        RETURNING c.id, c.region, old.health, c.health, old.health_changed_at, c.last_seen_at
        """;

    public Task<HeartbeatResult> IngestAsync(IReadOnlyList<(Guid CameraId, DateTimeOffset? ObservedAt)> heartbeats, string? scope, CancellationToken ct) =>
        IngestAsync(heartbeats, scope, vendor: null, ct);

    /// <summary>
    /// Applies the heartbeats of cameras in <paramref name="scope"/> (a region, or null for all) and, when <paramref name="vendor"/>
    /// is set, registered to that vendor client; the others are returned as unknown, whether they exist or not.
    /// </summary>
    public async Task<HeartbeatResult> IngestAsync(IReadOnlyList<(Guid CameraId, DateTimeOffset? ObservedAt)> heartbeats, string? scope, string? vendor,
        CancellationToken ct)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var now = time.GetUtcNow();
        // A device clock ahead of ours must not keep a camera online into the future.
        var ids = heartbeats.Select(h => h.CameraId).ToArray();
        var ats = heartbeats.Select(h => h.ObservedAt is { } at && at < now ? at : now).ToArray();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var applied = new HashSet<Guid>();
        var events = new List<(IntegrationEvent, string)>();
        var changed = new List<Guid>();
        await using (var cmd = new NpgsqlCommand(Apply, connection, tx))
        {
            cmd.Parameters.AddWithValue("ids", ids);
            cmd.Parameters.AddWithValue("ats", ats);
            cmd.Parameters.AddWithValue("now", now);
            cmd.Parameters.AddWithValue("cutoff", now - options.Value.OfflineAfter);
            cmd.Parameters.Add(new NpgsqlParameter<string?>("scope", scope) { NpgsqlDbType = NpgsqlDbType.Text });
            cmd.Parameters.Add(new NpgsqlParameter<string?>("vendor", vendor) { NpgsqlDbType = NpgsqlDbType.Text });
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var id = reader.GetGuid(0);
                applied.Add(id);
                if (reader.GetString(2) != reader.GetString(3))
                {
                    changed.Add(id);
                }

                if (reader.GetString(2) == "offline" && reader.GetString(3) == "online")
                {
                    var offlineSince = reader.IsDBNull(4) ? (DateTimeOffset?)null : reader.GetFieldValue<DateTimeOffset>(4);
                    events.Add((new CameraCameBackOnline(id, reader.GetString(1), offlineSince, reader.GetFieldValue<DateTimeOffset>(5)) { OccurredAt = now },
                        id.ToString()));
                }
            }
        }

        if (changed.Count > 0)
        {
            await HealthLog.AppendAsync(connection, tx, changed, "online", now, ct);
        }

        if (events.Count > 0)
        {
            await outbox.AddAsync(tx, events, ct);
        }

        await tx.CommitAsync(ct);
        var unknown = ids.Distinct().Where(id => !applied.Contains(id)).ToArray();
        metrics.BatchApplied(applied.Count, unknown.Length, vendor is not null, events.Count, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        return new HeartbeatResult(applied.Count, unknown);
    }
}
