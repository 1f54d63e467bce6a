using Npgsql;
using NpgsqlTypes;

namespace PublicSafety.Cameras.Infrastructure;

/// <summary>One disclosure of a stream endpoint: never the endpoint itself.</summary>
public sealed record StreamRead(Guid Id, Guid CameraId, string Region, string? ClientId, string? User, string? Subject, string? Reason, DateTimeOffset ReadAt);

public sealed record StreamReadQuery(string? Region, Guid? CameraId, DateTimeOffset From, DateTimeOffset To, int Limit, Guid? After);

/// <summary>
/// The audit of stream endpoint reads (<c>stream_endpoint_reads</c>, migration 0014). A read is recorded before the endpoint
/// leaves the service, so a read the audit could not record is not answered. The log gets an event without the endpoint,
/// the user or the reason (those stay in the table, where access is checked).
/// </summary>
public sealed partial class StreamReadAudit(NpgsqlDataSource dataSource, TimeProvider time, ILogger<StreamReadAudit> logger)
{
    public async Task<StreamRead> RecordAsync(Guid cameraId, string region, string? clientId, string? user, string? subject, string? reason, CancellationToken ct)
    {
        var read = new StreamRead(Guid.CreateVersion7(), cameraId, region, clientId, user, subject, reason, time.GetUtcNow());
        await using var cmd = dataSource.CreateCommand("""
            INSERT INTO stream_endpoint_reads (id, camera_id, region, client_id, user_name, subject, reason, read_at)
            VALUES (@id, @camera, @region, @client, @user, @subject, @reason, @at)
            """);
        cmd.Parameters.AddWithValue("id", read.Id);
        cmd.Parameters.AddWithValue("camera", cameraId);
        cmd.Parameters.AddWithValue("region", region);
        cmd.Parameters.Add(Text("client", clientId));
        cmd.Parameters.Add(Text("user", user));
        cmd.Parameters.Add(Text("subject", subject));
        cmd.Parameters.Add(Text("reason", reason));
        cmd.Parameters.AddWithValue("at", read.ReadAt);
        await cmd.ExecuteNonQueryAsync(ct);
        LogRead(cameraId, region, clientId ?? "(none)", read.Id);
        return read;
    }

    /// <summary>Reads in id order (the order they happened) within [From, To), after the cursor; Region null: every region.</summary>
    public async Task<IReadOnlyList<StreamRead>> ListAsync(StreamReadQuery q, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("""
            SELECT id, camera_id, region, client_id, user_name, subject, reason, read_at FROM stream_endpoint_reads
            WHERE (@region::text IS NULL OR region = @region) AND (@camera::uuid IS NULL OR camera_id = @camera)
              AND read_at >= @from AND read_at < @to AND (@after::uuid IS NULL OR id > @after)
            ORDER BY id
            LIMIT @limit
            """);
        cmd.Parameters.Add(Text("region", q.Region));
        cmd.Parameters.Add(new NpgsqlParameter<Guid?>("camera", q.CameraId) { NpgsqlDbType = NpgsqlDbType.Uuid });
        cmd.Parameters.AddWithValue("from", q.From);
        cmd.Parameters.AddWithValue("to", q.To);
        cmd.Parameters.Add(new NpgsqlParameter<Guid?>("after", q.After) { NpgsqlDbType = NpgsqlDbType.Uuid });
        cmd.Parameters.AddWithValue("limit", q.Limit);
        var reads = new List<StreamRead>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            reads.Add(new StreamRead(r.GetGuid(0), r.GetGuid(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4),
                r.IsDBNull(5) ? null : r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6), r.GetFieldValue<DateTimeOffset>(7)));
        }

        return reads;
    }

    private static NpgsqlParameter Text(string name, string? value) => new NpgsqlParameter<string?>(name, value) { NpgsqlDbType = NpgsqlDbType.Text };

    [LoggerMessage(EventId = 4100, EventName = "StreamEndpointRead", Level = LogLevel.Information,
        Message = "Stream endpoint of camera {CameraId} ({Region}) disclosed to client {ClientId}; audit record {AuditId}")]
    private partial void LogRead(Guid cameraId, string region, string clientId, Guid auditId);
}
