using System.Diagnostics;
using MassTransit;
using Npgsql;
using PublicSafety.Contracts.Cameras;
using PublicSafety.ServiceDefaults.Messaging.Inbox;

namespace PublicSafety.Messaging.TestHost;

/// <summary>Records each application of the event, with the trace it ran in, so tests can count effects and follow the trace.</summary>
public sealed class CameraWentOfflineConsumer(Inbox inbox) : IdempotentConsumer<CameraWentOffline>(inbox)
{
    protected override async Task HandleAsync(ConsumeContext<CameraWentOffline> context, NpgsqlTransaction transaction)
    {
        var evt = context.Message;
        await using var insert = new NpgsqlCommand("""
            INSERT INTO effects (message_id, transport_message_id, camera_id, trace_id, occurred_at, consumer_pid)
            SELECT @message, @transport, @camera, @trace, @occurred, @pid
            WHERE NOT EXISTS (SELECT 1 FROM quarantined_cameras WHERE camera_id = @camera)
            """, transaction.Connection, transaction);
        insert.Parameters.AddWithValue("message", evt.MessageId);
        insert.Parameters.AddWithValue("transport", (object?)context.MessageId ?? DBNull.Value);
        insert.Parameters.AddWithValue("camera", evt.CameraId);
        insert.Parameters.AddWithValue("trace", (object?)Activity.Current?.TraceId.ToHexString() ?? DBNull.Value);
        insert.Parameters.AddWithValue("occurred", evt.OccurredAt.ToUniversalTime());
        insert.Parameters.AddWithValue("pid", Environment.ProcessId);
        if (await insert.ExecuteNonQueryAsync(context.CancellationToken) == 0)
        {
            throw new InvalidOperationException($"Camera {evt.CameraId} is quarantined");
        }
    }
}
