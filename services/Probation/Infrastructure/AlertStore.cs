using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using PublicSafety.Probation.Apis;
using PublicSafety.Probation.Background;

namespace PublicSafety.Probation.Infrastructure;

public enum AlertChange { Done, NotFound, AlreadyResolved }

/// <summary>Officers' alert inboxes, the duty units' regional view, acknowledgement and resolution.</summary>
public sealed class AlertStore(NpgsqlDataSource dataSource, TimeProvider time)
{
    private const string Select = """
        SELECT a.id, a.violation_id, a.person_id, p.reference, a.kind, a.severity, a.status, a.created_at, a.acknowledged_at, a.resolved_at,
               a.resolution_note, a.escalated_at, a.duty_unit, a.latitude, a.longitude, a.cameras_status, a.cameras::text, a.officer_subject, a.region, a.cause
        FROM alerts a JOIN persons p ON p.id = a.person_id
        """;

    public sealed record AlertRow(AlertDto Dto, string OfficerSubject, string Region);

    /// <summary>An officer's inbox (officer set) or a region's alerts (region set, null = all); status filters, "escalated" included.</summary>
    public async Task<List<AlertRow>> ListAsync(string? officer, string? region, bool regional, string? status, int limit, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand($"""
            {Select}
            WHERE (@regional OR a.officer_subject = @officer) AND (NOT @regional OR @region::text IS NULL OR a.region = @region)
              AND (@status::text IS NULL OR (@status = 'escalated' AND a.escalated_at IS NOT NULL) OR a.status = @status)
            ORDER BY a.created_at DESC LIMIT @limit
            """);
        cmd.Parameters.AddWithValue("regional", regional);
        cmd.Parameters.Add(new NpgsqlParameter<string?>("officer", officer) { NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter<string?>("region", region) { NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter<string?>("status", status) { NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.AddWithValue("limit", limit);
        return await ReadAsync(cmd, ct);
    }

    public async Task<AlertRow?> GetAsync(Guid id, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand($"{Select} WHERE a.id = @id");
        cmd.Parameters.AddWithValue("id", id);
        return (await ReadAsync(cmd, ct)).FirstOrDefault();
    }

    public async Task<AlertChange> AcknowledgeAsync(Guid id, string officer, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("""
            UPDATE alerts SET status = 'acknowledged', acknowledged_at = @now, acknowledged_by = @officer
            WHERE id = @id AND officer_subject = @officer AND status = 'open'
            """);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("officer", officer);
        cmd.Parameters.AddWithValue("now", time.GetUtcNow());
        return await cmd.ExecuteNonQueryAsync(ct) == 1 ? AlertChange.Done : await WhyNotAsync(id, officer, ct, acknowledging: true);
    }

    public async Task<AlertChange> ResolveAsync(Guid id, string officer, string note, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("""
            UPDATE alerts SET status = 'resolved', resolved_at = @now, resolved_by = @officer, resolution_note = @note,
                              acknowledged_at = coalesce(acknowledged_at, @now), acknowledged_by = coalesce(acknowledged_by, @officer)
            WHERE id = @id AND officer_subject = @officer AND status <> 'resolved'
            """);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("officer", officer);
        cmd.Parameters.AddWithValue("note", note);
        cmd.Parameters.AddWithValue("now", time.GetUtcNow());
        return await cmd.ExecuteNonQueryAsync(ct) == 1 ? AlertChange.Done : await WhyNotAsync(id, officer, ct, acknowledging: false);
    }

    private async Task<AlertChange> WhyNotAsync(Guid id, string officer, CancellationToken ct, bool acknowledging)
    {
        await using var cmd = dataSource.CreateCommand("SELECT status FROM alerts WHERE id = @id AND officer_subject = @officer");
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("officer", officer);
        return await cmd.ExecuteScalarAsync(ct) switch
        {
            null => AlertChange.NotFound,
            "resolved" => AlertChange.AlreadyResolved,
            // Acknowledging twice is harmless: the first acknowledgement stands.
            _ when acknowledging => AlertChange.Done,
            _ => AlertChange.AlreadyResolved,
        };
    }

    private static async Task<List<AlertRow>> ReadAsync(NpgsqlCommand cmd, CancellationToken ct)
    {
        var list = new List<AlertRow>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            DateTimeOffset? At(int i) => r.IsDBNull(i) ? null : r.GetFieldValue<DateTimeOffset>(i);
            var cameras = JsonSerializer.Deserialize<NearbyCameraInfo[]>(r.GetString(16), JsonSerializerOptions.Web) ?? [];
            list.Add(new AlertRow(new AlertDto(r.GetGuid(0), r.GetGuid(1), r.GetGuid(2), r.GetString(3), r.GetString(4), r.IsDBNull(19) ? null : r.GetString(19),
                r.GetString(5), r.GetString(6), r.GetFieldValue<DateTimeOffset>(7), At(8), At(9), r.IsDBNull(10) ? null : r.GetString(10), At(11), r.IsDBNull(12) ? null : r.GetString(12),
                r.IsDBNull(13) ? null : r.GetDouble(13), r.IsDBNull(14) ? null : r.GetDouble(14), r.GetString(15), cameras), r.GetString(17), r.GetString(18)));
        }

        return list;
    }
}
