using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using PublicSafety.Probation.Apis;
using PublicSafety.Probation.Extensions;
using PublicSafety.ServiceDefaults.Auth;

namespace PublicSafety.Probation.Infrastructure;

public enum AssignOutcome { Assigned, DeviceNotFound, NotAvailable, RegionMismatch }

/// <summary>Device inventory and assignment history.</summary>
public sealed class DeviceStore(NpgsqlDataSource dataSource, TimeProvider time, IOptions<DetectionOptions> detection)
{
    private const string Columns = """
        id, vendor, serial, kind, region, status, firmware, battery_percent, charging, low_battery_since, last_contact_at, last_fix_at, person_id, assigned_at
        """;

    public async Task<DeviceDto?> CreateAsync(DeviceRequest r, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand($"""
            INSERT INTO devices (id, vendor, serial, kind, region, status, firmware) VALUES (@id, @vendor, @serial, @kind, @region, 'in_stock', @fw)
            ON CONFLICT (vendor, serial) DO NOTHING RETURNING {Columns}
            """);
        cmd.Parameters.AddWithValue("id", Guid.CreateVersion7());
        cmd.Parameters.AddWithValue("vendor", r.Vendor!.Trim());
        cmd.Parameters.AddWithValue("serial", r.Serial!.Trim());
        cmd.Parameters.AddWithValue("kind", r.Kind!);
        cmd.Parameters.AddWithValue("region", r.Region!.ToUpperInvariant());
        cmd.Parameters.Add(new NpgsqlParameter<string?>("fw", r.Firmware) { NpgsqlDbType = NpgsqlDbType.Text });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? Read(reader) : null;
    }

    public async Task<DeviceDto?> GetAsync(Guid id, CancellationToken ct) => (await QueryAsync("id = @id", c => c.Parameters.AddWithValue("id", id), ct)).FirstOrDefault();

    /// <summary>The devices inside <paramref name="scope"/>, optionally of one status.</summary>
    public Task<List<DeviceDto>> ListAsync(RegionScope scope, string? status, Guid? after, int limit, CancellationToken ct) =>
        QueryAsync($"{ScopeSql.Covers("region")} AND (@status::text IS NULL OR status = @status) AND (@after::uuid IS NULL OR id > @after) ORDER BY id LIMIT @limit",
            c =>
            {
                c.Parameters.Add(ScopeSql.Parameter(scope));
                c.Parameters.Add(new NpgsqlParameter<string?>("status", status) { NpgsqlDbType = NpgsqlDbType.Text });
                c.Parameters.Add(new NpgsqlParameter<Guid?>("after", after) { NpgsqlDbType = NpgsqlDbType.Uuid });
                c.Parameters.AddWithValue("limit", limit);
            }, ct);

    public async Task<AssignOutcome> AssignAsync(Guid deviceId, PersonRow person, string by, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using (var check = new NpgsqlCommand("SELECT status, region FROM devices WHERE id = @id FOR UPDATE", connection, tx))
        {
            check.Parameters.AddWithValue("id", deviceId);
            await using var r = await check.ExecuteReaderAsync(ct);
            if (!await r.ReadAsync(ct)) return AssignOutcome.DeviceNotFound;
            if (r.GetString(0) is not ("in_stock" or "returned")) return AssignOutcome.NotAvailable;
            if (!string.Equals(r.GetString(1), person.Region, StringComparison.OrdinalIgnoreCase)) return AssignOutcome.RegionMismatch;
        }

        await using var batch = new NpgsqlBatch(connection, tx)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("""
                    UPDATE devices SET status = 'assigned', person_id = @p, assigned_at = @now, last_fix_at = NULL, low_battery_since = NULL,
                                       no_fix_reported_for = NULL, battery_reported_for = NULL WHERE id = @d
                    """),
                new NpgsqlBatchCommand("INSERT INTO device_assignments (id, device_id, person_id, assigned_at, assigned_by) VALUES (@a, @d, @p, @now, @by)"),
            },
        };
        foreach (var c in batch.BatchCommands.Cast<NpgsqlBatchCommand>())
        {
            c.Parameters.AddWithValue("d", deviceId);
            c.Parameters.AddWithValue("p", person.Id);
            c.Parameters.AddWithValue("now", now);
        }

        batch.BatchCommands[1].Parameters.AddWithValue("a", Guid.CreateVersion7());
        batch.BatchCommands[1].Parameters.AddWithValue("by", by);
        await batch.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
        return AssignOutcome.Assigned;
    }

    /// <summary>Ends the device's assignment with the new inventory status; false if it was not assigned.</summary>
    public async Task<bool> ReleaseAsync(Guid deviceId, string status, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("""
            WITH d AS (UPDATE devices SET status = @status, person_id = NULL, assigned_at = NULL WHERE id = @id AND status = 'assigned' RETURNING id)
            UPDATE device_assignments SET ended_at = @now, end_status = @status WHERE device_id IN (SELECT id FROM d) AND ended_at IS NULL
            """);
        cmd.Parameters.AddWithValue("id", deviceId);
        cmd.Parameters.AddWithValue("status", status);
        cmd.Parameters.AddWithValue("now", time.GetUtcNow());
        return await cmd.ExecuteNonQueryAsync(ct) > 0;
    }

    /// <summary>Sets the status of an unassigned device that is still in <paramref name="from"/>; false if it no longer is.</summary>
    public async Task<bool> ChangeStatusAsync(Guid deviceId, string from, string to, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("UPDATE devices SET status = @to WHERE id = @id AND status = @from AND person_id IS NULL");
        cmd.Parameters.AddWithValue("id", deviceId);
        cmd.Parameters.AddWithValue("from", from);
        cmd.Parameters.AddWithValue("to", to);
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }

    public async Task<List<AssignmentDto>> AssignmentsAsync(Guid deviceId, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(
            "SELECT id, person_id, assigned_at, assigned_by, ended_at, end_status FROM device_assignments WHERE device_id = @d ORDER BY assigned_at DESC LIMIT 200");
        cmd.Parameters.AddWithValue("d", deviceId);
        var list = new List<AssignmentDto>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(new AssignmentDto(r.GetGuid(0), r.GetGuid(1), r.GetFieldValue<DateTimeOffset>(2), r.GetString(3),
                r.IsDBNull(4) ? null : r.GetFieldValue<DateTimeOffset>(4), r.IsDBNull(5) ? null : r.GetString(5)));
        }

        return list;
    }

    private async Task<List<DeviceDto>> QueryAsync(string where, Action<NpgsqlCommand> bind, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand($"SELECT {Columns} FROM devices WHERE {where}");
        bind(cmd);
        var list = new List<DeviceDto>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(Read(r));
        }

        return list;
    }

    /// <summary>
    /// Health is about fixes, staleness about contact: a device that connects but sends no fix is "no_fix", one we have
    /// not heard from is "stale"; only a recent fix is "healthy". A base unit (home beacon) has no GPS: for it, recent
    /// contact is healthy.
    /// </summary>
    private DeviceDto Read(NpgsqlDataReader r)
    {
        DateTimeOffset? At(int i) => r.IsDBNull(i) ? null : r.GetFieldValue<DateTimeOffset>(i);
        var status = r.GetString(5);
        var cutoff = time.GetUtcNow() - detection.Value.NoFixAfter;
        var contact = At(10);
        var fix = At(11);
        var working = r.GetString(3) == "base_unit" ? contact : fix;
        var health = status != "assigned" ? "not_monitored"
            : working >= cutoff ? "healthy"
            : contact >= cutoff ? "no_fix"
            : "stale";
        return new DeviceDto(r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), status, r.IsDBNull(6) ? null : r.GetString(6),
            r.IsDBNull(7) ? null : r.GetInt16(7), r.GetBoolean(8), At(9), contact, fix, health, r.IsDBNull(12) ? null : r.GetGuid(12), At(13));
    }
}
