using System.Text.Json;
using Npgsql;
using PublicSafety.Probation.Apis;

namespace PublicSafety.Probation.Infrastructure;

/// <summary>Location history (every read audited in the same transaction) and violations.</summary>
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
        await using (var audit = new NpgsqlCommand("""
            INSERT INTO location_reads (id, person_id, reader, reason, range_from, range_to, read_at, positions) VALUES (@id, @p, @reader, @reason, @from, @to, @now, @n)
            """, connection, tx))
        {
            audit.Parameters.AddWithValue("id", Guid.CreateVersion7());
            audit.Parameters.AddWithValue("p", personId);
            audit.Parameters.AddWithValue("reader", reader);
            audit.Parameters.AddWithValue("reason", reason);
            audit.Parameters.AddWithValue("from", from);
            audit.Parameters.AddWithValue("to", to);
            audit.Parameters.AddWithValue("now", time.GetUtcNow());
            audit.Parameters.AddWithValue("n", positions.Count);
            await audit.ExecuteNonQueryAsync(ct);
        }

        await tx.CommitAsync(ct);
        return new LocationHistoryDto(personId, from, to, truncated, positions);
    }

    public async Task<List<LocationReadDto>> ReadsAsync(Guid personId, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(
            "SELECT id, reader, reason, range_from, range_to, read_at, positions FROM location_reads WHERE person_id = @p ORDER BY read_at DESC LIMIT 500");
        cmd.Parameters.AddWithValue("p", personId);
        var list = new List<LocationReadDto>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(new LocationReadDto(r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetFieldValue<DateTimeOffset>(3), r.GetFieldValue<DateTimeOffset>(4),
                r.GetFieldValue<DateTimeOffset>(5), r.GetInt32(6)));
        }

        return list;
    }

    public async Task<List<ViolationDto>> ViolationsAsync(Guid personId, bool withEvidence, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("""
            SELECT id, kind, severity, zone_id, device_id, started_at, detected_at, suppressed, evidence::text, cause FROM violations
            WHERE person_id = @p ORDER BY started_at DESC LIMIT 500
            """);
        cmd.Parameters.AddWithValue("p", personId);
        var list = new List<ViolationDto>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(new ViolationDto(r.GetGuid(0), r.GetString(1), r.IsDBNull(9) ? null : r.GetString(9), r.GetString(2),
                r.IsDBNull(3) ? null : r.GetGuid(3), r.IsDBNull(4) ? null : r.GetGuid(4), r.GetFieldValue<DateTimeOffset>(5), r.GetFieldValue<DateTimeOffset>(6), r.GetBoolean(7),
                withEvidence ? JsonSerializer.Deserialize<EvidenceDto[]>(r.GetString(8), JsonSerializerOptions.Web) : null));
        }

        return list;
    }
}
