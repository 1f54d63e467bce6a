using Npgsql;
using PublicSafety.Contracts.Cameras;
using PublicSafety.ServiceDefaults.Messaging.Outbox;

namespace PublicSafety.Messaging.TestHost;

/// <summary>The stand-in domain operation: a state change and its event in the caller's transaction.</summary>
public static class CameraStatus
{
    public static async Task<CameraWentOffline> MarkOfflineAsync(NpgsqlTransaction transaction, IOutbox outbox, Guid cameraId, string region, CancellationToken ct)
    {
        var evt = new CameraWentOffline(cameraId, region, DateTimeOffset.UtcNow);
        // The state change and its event in one round trip (IOutbox.Add appends to the operation's batch).
        await using var batch = new NpgsqlBatch(transaction.Connection, transaction);
        var upsert = new NpgsqlBatchCommand("""
            INSERT INTO camera_status (camera_id, region, offline_since) VALUES (@id, @region, @since)
            ON CONFLICT (camera_id) DO UPDATE SET offline_since = excluded.offline_since, changes = camera_status.changes + 1
            """);
        upsert.Parameters.AddWithValue("id", cameraId);
        upsert.Parameters.AddWithValue("region", region);
        upsert.Parameters.AddWithValue("since", (object?)evt.LastSeenAt ?? DBNull.Value);
        batch.BatchCommands.Add(upsert);
        outbox.Add(batch, evt, cameraId.ToString());
        await batch.ExecuteNonQueryAsync(ct);
        return evt;
    }
}
