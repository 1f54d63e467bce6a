using System.Text.Json;
using Npgsql;
using PublicSafety.Probation.Apis;
using PublicSafety.Probation.Background;

namespace PublicSafety.Probation.Infrastructure;

/// <summary>
/// Location history, violations' evidence positions and alerts' points with their nearby cameras (every read of any of
/// them audited in the same transaction, with its reason), and the violations themselves without positions.
/// </summary>
public sealed class LocationStore(NpgsqlDataSource dataSource, TimeProvider time)
{
    public const int MaxPositions = 10_000;

    public async Task<LocationHistoryDto> ReadHistoryAsync(Guid personId, DateTimeOffset from, DateTimeOffset to, string reader, string reason, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var positions = new List<PositionDto>();
        await using (var cmd = new NpgsqlCommand("""
            SELECT fix_time, latitude, longitude, accuracy, speed, device_id FROM positions
            WHERE person_id = @p AND fix_time >= @from AND fix_time < @to ORDER BY fix_time, device_id LIMIT @limit
            """, connection, tx))
        {
            cmd.Parameters.AddWithValue("p", personId);
            cmd.Parameters.AddWithValue("from", from);
            cmd.Parameters.AddWithValue("to", to);
            cmd.Parameters.AddWithValue("limit", MaxPositions + 1);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                positions.Add(new PositionDto(r.GetFieldValue<DateTimeOffset>(0), r.GetDouble(1), r.GetDouble(2), r.GetFloat(3), r.IsDBNull(4) ? null : r.GetFloat(4),
                    r.GetGuid(5)));
            }
        }

        var truncated = positions.Count > MaxPositions;
        if (truncated)
        {
            positions.RemoveAt(positions.Count - 1);
        }

        // The audit row commits with the read: no history leaves the service without its record.
        await AuditAsync(connection, tx, personId, null, null, reader, reason, from, to, positions.Count, ct);
        await tx.CommitAsync(ct);
        return new LocationHistoryDto(personId, from, to, truncated, positions);
    }

    /// <summary>
    /// A violation's evidence positions, recorded in the read audit like a history read (range: the first to the last
    /// evidence fix, or the violation's start when it keeps none). Null when the person has no such violation.
    /// </summary>
    public async Task<ViolationEvidenceDto?> ReadEvidenceAsync(Guid personId, Guid violationId, string reader, string reason, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        EvidenceDto[] evidence;
        DateTimeOffset started;
        await using (var cmd = new NpgsqlCommand("SELECT evidence::text, started_at FROM violations WHERE id = @v AND person_id = @p", connection, tx))
        {
            cmd.Parameters.AddWithValue("v", violationId);
            cmd.Parameters.AddWithValue("p", personId);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            if (!await r.ReadAsync(ct))
            {
                return null;
            }

            evidence = JsonSerializer.Deserialize<EvidenceDto[]>(r.GetString(0), JsonSerializerOptions.Web) ?? [];
            started = r.GetFieldValue<DateTimeOffset>(1);
        }

        var from = evidence.Length == 0 ? started : evidence.Min(e => e.FixTime).ToUniversalTime();
        var to = evidence.Length == 0 ? started : evidence.Max(e => e.FixTime).ToUniversalTime();
        await AuditAsync(connection, tx, personId, violationId, null, reader, reason, from, to, evidence.Length, ct);
        await tx.CommitAsync(ct);
        return new ViolationEvidenceDto(violationId, personId, evidence);
    }

    /// <summary>
    /// An alert's point and the cameras near it (their distances place it as well), recorded in the read audit with the
    /// alert and its violation (range: the violation's start). Null when there is no such alert.
    /// </summary>
    public async Task<AlertLocationDto?> ReadAlertLocationAsync(Guid alertId, string reader, string reason, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        AlertLocationDto location;
        DateTimeOffset started;
        await using (var cmd = new NpgsqlCommand("""
            SELECT a.violation_id, a.person_id, a.latitude, a.longitude, a.cameras_status, a.cameras::text, v.started_at
            FROM alerts a JOIN violations v ON v.id = a.violation_id WHERE a.id = @a
            """, connection, tx))
        {
            cmd.Parameters.AddWithValue("a", alertId);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            if (!await r.ReadAsync(ct))
            {
                return null;
            }

            var cameras = JsonSerializer.Deserialize<NearbyCameraInfo[]>(r.GetString(5), JsonSerializerOptions.Web) ?? [];
            location = new AlertLocationDto(alertId, r.GetGuid(0), r.GetGuid(1), r.IsDBNull(2) ? null : r.GetDouble(2), r.IsDBNull(3) ? null : r.GetDouble(3),
                r.GetString(4), cameras);
            started = r.GetFieldValue<DateTimeOffset>(6);
        }

        await AuditAsync(connection, tx, location.PersonId, location.ViolationId, alertId, reader, reason, started, started, location.Latitude is null ? 0 : 1, ct);
        await tx.CommitAsync(ct);
        return location;
    }

    private async Task AuditAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid personId, Guid? violationId, Guid? alertId, string reader,
        string reason, DateTimeOffset from, DateTimeOffset to, int positions, CancellationToken ct)
    {
        await using var audit = new NpgsqlCommand("""
            INSERT INTO location_reads (id, person_id, reader, reason, range_from, range_to, read_at, positions, violation_id, alert_id)
            VALUES (@id, @p, @reader, @reason, @from, @to, @now, @n, @v, @a)
            """, connection, tx);
        audit.Parameters.AddWithValue("id", Guid.CreateVersion7());
        audit.Parameters.AddWithValue("p", personId);
        audit.Parameters.AddWithValue("reader", reader);
        audit.Parameters.AddWithValue("reason", reason);
        audit.Parameters.AddWithValue("from", from);
        audit.Parameters.AddWithValue("to", to);
        audit.Parameters.AddWithValue("now", time.GetUtcNow());
        audit.Parameters.AddWithValue("n", positions);
        audit.Parameters.Add(new NpgsqlParameter<Guid?>("v", violationId) { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid });
        audit.Parameters.Add(new NpgsqlParameter<Guid?>("a", alertId) { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid });
        await audit.ExecuteNonQueryAsync(ct);
    }

    public async Task<List<LocationReadDto>> ReadsAsync(Guid personId, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(
            """
            SELECT id, reader, reason, range_from, range_to, read_at, positions, violation_id, alert_id FROM location_reads
            WHERE person_id = @p ORDER BY read_at DESC LIMIT 500
            """);
        cmd.Parameters.AddWithValue("p", personId);
        var list = new List<LocationReadDto>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(new LocationReadDto(r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetFieldValue<DateTimeOffset>(3), r.GetFieldValue<DateTimeOffset>(4),
                r.GetFieldValue<DateTimeOffset>(5), r.GetInt32(6), r.IsDBNull(7) ? null : r.GetGuid(7), r.IsDBNull(8) ? null : r.GetGuid(8)));
        }

        return list;
    }

    /// <summary>A person's violations without positions: evidence is read one violation at a time, with a reason.</summary>
    public async Task<List<ViolationDto>> ViolationsAsync(Guid personId, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("""
            SELECT id, kind, severity, zone_id, device_id, started_at, detected_at, suppressed, jsonb_array_length(evidence), cause FROM violations
            WHERE person_id = @p ORDER BY started_at DESC LIMIT 500
            """);
        cmd.Parameters.AddWithValue("p", personId);
        var list = new List<ViolationDto>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(new ViolationDto(r.GetGuid(0), r.GetString(1), r.IsDBNull(9) ? null : r.GetString(9), r.GetString(2),
                r.IsDBNull(3) ? null : r.GetGuid(3), r.IsDBNull(4) ? null : r.GetGuid(4), r.GetFieldValue<DateTimeOffset>(5), r.GetFieldValue<DateTimeOffset>(6), r.GetBoolean(7),
                r.GetInt32(8)));
        }

        return list;
    }
}
