using Microsoft.Extensions.Options;
using Npgsql;
using PublicSafety.Contracts;
using PublicSafety.Contracts.Cameras;
using PublicSafety.ServiceDefaults.Messaging.Outbox;

namespace PublicSafety.Cameras.Health;

/// <summary>
/// Marks cameras silent for longer than <see cref="HealthOptions.OfflineAfter"/> as offline and records
/// <see cref="CameraWentOffline"/> for each, in batches, each batch one transaction: online cameras by their last heartbeat, and
/// active cameras that never reported (health unknown) by when they became active. Rows a heartbeat holds are skipped
/// (the heartbeat wins); replicas can sweep at once without marking a camera twice.
/// </summary>
public sealed class OfflineDetector(NpgsqlDataSource dataSource, IOutbox outbox, TimeProvider time, IOptions<HealthOptions> options)
{
    private const string MarkSilentOffline = """
        UPDATE cameras c SET health = 'offline', health_changed_at = @now
        FROM (SELECT id FROM cameras
              WHERE health = 'online' AND last_seen_at < @cutoff AND status <> 'decommissioned'
              ORDER BY last_seen_at LIMIT @batch FOR UPDATE SKIP LOCKED) s
        WHERE c.id = s.id
        RETURNING c.id, c.region, c.last_seen_at
        """;

    // While health is unknown, health_changed_at is when the camera became active (CameraStore). A heartbeat too old to bring it
    // online still counts as contact, and is the event's last-seen time; with none, the event says the camera never reported.
    // Synthetic cameras (the seed's dataset) have no device that could ever report.
    private const string MarkNeverReportedOffline = """
        UPDATE cameras c SET health = 'offline', health_changed_at = @now
        FROM (SELECT id FROM cameras
              WHERE health = 'unknown' AND status = 'active' AND NOT synthetic AND health_changed_at < @cutoff
                AND (last_seen_at IS NULL OR last_seen_at < @cutoff)
              ORDER BY health_changed_at LIMIT @batch FOR UPDATE SKIP LOCKED) s
        WHERE c.id = s.id
        RETURNING c.id, c.region, c.last_seen_at
        """;

    /// <summary>One sweep; returns how many cameras went offline.</summary>
    public async Task<int> SweepAsync(CancellationToken ct) =>
        await SweepAsync(MarkSilentOffline, ct) + await SweepAsync(MarkNeverReportedOffline, ct);

    private async Task<int> SweepAsync(string markOffline, CancellationToken ct)
    {
        var total = 0;
        while (true)
        {
            var now = time.GetUtcNow();
            var batchSize = options.Value.SweepBatchSize;
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            await using var tx = await connection.BeginTransactionAsync(ct);
            var events = new List<(IntegrationEvent, string)>();
            await using (var cmd = new NpgsqlCommand(markOffline, connection, tx))
            {
                cmd.Parameters.AddWithValue("now", now);
                cmd.Parameters.AddWithValue("cutoff", now - options.Value.OfflineAfter);
                cmd.Parameters.AddWithValue("batch", batchSize);
                await using var reader = await cmd.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    var id = reader.GetGuid(0);
                    events.Add((new CameraWentOffline(id, reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2))
                    {
                        OccurredAt = now,
                        SchemaVersion = 2,
                    }, id.ToString()));
                }
            }

            if (events.Count > 0)
            {
                await HealthLog.AppendAsync(connection, tx, events.Select(e => ((CameraWentOffline)e.Item1).CameraId).ToArray(), "offline", now, ct);
                await outbox.AddAsync(tx, events, ct);
            }

            await tx.CommitAsync(ct);
            total += events.Count;
            if (events.Count < batchSize)
            {
                return total;
            }
        }
    }
}
