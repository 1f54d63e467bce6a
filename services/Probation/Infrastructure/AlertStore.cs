using Npgsql;
using NpgsqlTypes;
using PublicSafety.Probation.Apis;
using PublicSafety.ServiceDefaults.Auth;

namespace PublicSafety.Probation.Infrastructure;

public enum AlertChange { Done, NotFound, AlreadyResolved }

/// <summary>Officers' alert inboxes, the duty units' regional view, acknowledgement and resolution.</summary>
public sealed class AlertStore(NpgsqlDataSource dataSource, TimeProvider time)
{
    private const string Select = """
        SELECT a.id, a.violation_id, a.person_id, p.reference, a.kind, a.severity, a.status, a.created_at, a.acknowledged_at, a.resolved_at,
               a.resolution_note, a.escalated_at, a.duty_unit, a.latitude IS NOT NULL, a.cameras_status, a.officer_subject, a.region, a.cause
        FROM alerts a JOIN persons p ON p.id = a.person_id
        """;

    public sealed record AlertRow(AlertDto Dto, string OfficerSubject, string Region);

    /// <summary>An officer's inbox (not regional) or all alerts (regional), inside <paramref name="scope"/>; status filters, "escalated" included.</summary>
    public async Task<List<AlertRow>> ListAsync(string? officer, RegionScope scope, bool regional, string? status, int limit, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand($"""
            {Select}
            WHERE (@regional OR a.officer_subject = @officer) AND {ScopeSql.Covers("a.region")}
              AND (@status::text IS NULL OR (@status = 'escalated' AND a.escalated_at IS NOT NULL) OR a.status = @status)
            ORDER BY a.created_at DESC LIMIT @limit
            """);
        cmd.Parameters.AddWithValue("regional", regional);
        cmd.Parameters.Add(new NpgsqlParameter<string?>("officer", officer) { NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(ScopeSql.Parameter(scope));
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

    /// <summary>Acknowledges the officer's alert if it is inside <paramref name="scope"/>; outside it, the alert is not found.</summary>
    public async Task<AlertChange> AcknowledgeAsync(Guid id, string officer, RegionScope scope, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand($"""
            UPDATE alerts SET status = 'acknowledged', acknowledged_at = @now, acknowledged_by = @officer
            WHERE id = @id AND officer_subject = @officer AND {ScopeSql.Covers("region")} AND status = 'open'
            """);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("officer", officer);
        cmd.Parameters.Add(ScopeSql.Parameter(scope));
        cmd.Parameters.AddWithValue("now", time.GetUtcNow());
        return await cmd.ExecuteNonQueryAsync(ct) == 1 ? AlertChange.Done : await WhyNotAsync(id, officer, scope, ct, acknowledging: true);
    }

    /// <summary>Resolves the officer's alert if it is inside <paramref name="scope"/>; outside it, the alert is not found.</summary>
    public async Task<AlertChange> ResolveAsync(Guid id, string officer, RegionScope scope, string note, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand($"""
            UPDATE alerts SET status = 'resolved', resolved_at = @now, resolved_by = @officer, resolution_note = @note,
                              acknowledged_at = coalesce(acknowledged_at, @now), acknowledged_by = coalesce(acknowledged_by, @officer)
            WHERE id = @id AND officer_subject = @officer AND {ScopeSql.Covers("region")} AND status <> 'resolved'
            """);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("officer", officer);
        cmd.Parameters.Add(ScopeSql.Parameter(scope));
        cmd.Parameters.AddWithValue("note", note);
        cmd.Parameters.AddWithValue("now", time.GetUtcNow());
        return await cmd.ExecuteNonQueryAsync(ct) == 1 ? AlertChange.Done : await WhyNotAsync(id, officer, scope, ct, acknowledging: false);
    }

    private async Task<AlertChange> WhyNotAsync(Guid id, string officer, RegionScope scope, CancellationToken ct, bool acknowledging)
    {
        await using var cmd = dataSource.CreateCommand($"SELECT status FROM alerts WHERE id = @id AND officer_subject = @officer AND {ScopeSql.Covers("region")}");
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("officer", officer);
        cmd.Parameters.Add(ScopeSql.Parameter(scope));
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
            string? Text(int i) => r.IsDBNull(i) ? null : r.GetString(i);
            list.Add(new AlertRow(new AlertDto(r.GetGuid(0), r.GetGuid(1), r.GetGuid(2), r.GetString(3), r.GetString(4), Text(17), r.GetString(5),
                r.GetString(6), r.GetFieldValue<DateTimeOffset>(7), At(8), At(9), Text(10), At(11), Text(12), r.GetBoolean(13), r.GetString(14)),
                r.GetString(15), r.GetString(16)));
        }

        return list;
    }
}
