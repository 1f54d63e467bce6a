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
        await using (var cmd = new NpgsqlCommand("""
            INSERT INTO camera_status (camera_id, region, offline_since) VALUES (@id, @region, @since)
            ON CONFLICT (camera_id) DO UPDATE SET offline_since = excluded.offline_since, changes = camera_status.changes + 1
            """, transaction.Connection, transaction))
        {
            cmd.Parameters.AddWithValue("id", cameraId);
            cmd.Parameters.AddWithValue("region", region);
            cmd.Parameters.AddWithValue("since", evt.LastSeenAt);
            await cmd.ExecuteNonQueryAsync(ct);
        }

        await outbox.AddAsync(transaction, evt, cameraId.ToString(), ct);
        return evt;
    }
}
