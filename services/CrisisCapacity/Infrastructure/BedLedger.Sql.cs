using Npgsql;
using PublicSafety.Contracts.CrisisCapacity;
using PublicSafety.CrisisCapacity.Model;
using PublicSafety.ServiceDefaults.Messaging.Outbox;

namespace PublicSafety.CrisisCapacity.Infrastructure;

/// <summary>The ledger's statements; every writer takes the category row lock before it changes a hold or a placement.</summary>
public sealed partial class BedLedger
{

    private static async Task SetStatusAsync(NpgsqlTransaction tx, Guid id, string status, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("UPDATE reservations SET status = @s WHERE id = @id", tx.Connection, tx);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("s", status);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Changes the category's counters; the caller holds the row lock. The CHECK rejects overbooking.</summary>
    private static async Task AdjustAsync(NpgsqlTransaction tx, Guid facility, string category, int reserved, int occupied, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            UPDATE bed_categories SET reserved = reserved + @r, occupied = occupied + @o WHERE facility_id = @f AND category = @c
            """, tx.Connection, tx);
        cmd.Parameters.AddWithValue("f", facility);
        cmd.Parameters.AddWithValue("c", category);
        cmd.Parameters.AddWithValue("r", reserved);
        cmd.Parameters.AddWithValue("o", occupied);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Marks the category's holds past their expiry as expired and takes them off its counter; true if there were any.</summary>
    private static async Task<bool> SettleLapsedAsync(NpgsqlTransaction tx, Guid facility, string category, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            WITH lapsed AS (
                UPDATE reservations SET status = 'expired'
                WHERE facility_id = @f AND category = @c AND status = 'held' AND expires_at <= now()
                RETURNING beds)
            UPDATE bed_categories SET reserved = reserved - (SELECT COALESCE(sum(beds), 0) FROM lapsed)
            WHERE facility_id = @f AND category = @c AND EXISTS (SELECT 1 FROM lapsed)
            """, tx.Connection, tx);
        cmd.Parameters.AddWithValue("f", facility);
        cmd.Parameters.AddWithValue("c", category);
        return await cmd.ExecuteNonQueryAsync(ct) > 0;
    }

    private static async Task LockCategoryAsync(NpgsqlTransaction tx, Guid facility, string category, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT 1 FROM bed_categories WHERE facility_id = @f AND category = @c FOR UPDATE", tx.Connection, tx);
        cmd.Parameters.AddWithValue("f", facility);
        cmd.Parameters.AddWithValue("c", category);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static async Task<int> AvailableAsync(NpgsqlTransaction tx, Guid facility, string category, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT available FROM bed_availability WHERE facility_id = @f AND category = @c", tx.Connection, tx);
        cmd.Parameters.AddWithValue("f", facility);
        cmd.Parameters.AddWithValue("c", category);
        return (int)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// The hold made earlier with this key by the same client and user; OutOfRegion (never the hold) when the caller's
    /// token no longer reaches it, e.g. the same officer with a token of another region.
    /// </summary>
    private static async Task<ReserveOutcome?> FindByKeyAsync(NpgsqlConnection connection, ReserveCommand command, CrisisAccess access, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"""
            SELECT {ReservationColumns} FROM reservations r JOIN facilities f ON f.id = r.facility_id
            WHERE r.client_id = @client AND r.idempotency_key = @key
            """, connection);
        cmd.Parameters.AddWithValue("client", command.ClientId);
        cmd.Parameters.AddWithValue("key", command.IdempotencyKey);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct))
        {
            return null;
        }

        var earlier = ReadReservation(r);
        if (!access.SeesBooking(earlier.Region, earlier.BookedBy))
        {
            return new ReserveOutcome.OutOfRegion();
        }

        return earlier.FacilityId == command.FacilityId && earlier.Category == command.Category && earlier.CaseCode == command.CaseCode && earlier.Beds == command.Beds
            ? new ReserveOutcome.Repeated(earlier)
            : new ReserveOutcome.KeyReused();
    }

    private static async Task<Reservation?> ReadReservationAsync(NpgsqlTransaction tx, Guid id, bool forUpdate, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            $"SELECT {ReservationColumns} FROM reservations r JOIN facilities f ON f.id = r.facility_id WHERE r.id = @id" + (forUpdate ? " FOR UPDATE OF r" : ""),
            tx.Connection, tx);
        cmd.Parameters.AddWithValue("id", id);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? ReadReservation(r) : null;
    }

    private static Reservation ReadReservation(NpgsqlDataReader r) => new(
        r.GetGuid(0), r.GetGuid(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetInt32(5),
        r.GetFieldValue<DateTimeOffset>(6), r.GetFieldValue<DateTimeOffset>(7), r.GetString(8), r.IsDBNull(9) ? null : r.GetString(9));

    private static async Task<Placement?> ReadPlacementAsync(NpgsqlTransaction tx, Guid id, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT p.id, p.reservation_id, p.facility_id, f.region, p.category, p.case_code, p.beds, p.children_ages,
                   p.admitted_at, p.discharged_at, p.discharge_reason, p.survey_consent, p.safe_channel, COALESCE(p.client_id, h.client_id)
            FROM placements p JOIN facilities f ON f.id = p.facility_id LEFT JOIN reservations h ON h.id = p.reservation_id
            WHERE p.id = @id
            """, tx.Connection, tx);
        cmd.Parameters.AddWithValue("id", id);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct))
        {
            return null;
        }

        return new Placement(r.GetGuid(0), r.IsDBNull(1) ? null : r.GetGuid(1), r.GetGuid(2), r.GetString(3), r.GetString(4), r.GetString(5),
            r.GetInt32(6), r.GetFieldValue<int[]>(7), r.GetFieldValue<DateTimeOffset>(8),
            r.IsDBNull(9) ? null : r.GetFieldValue<DateTimeOffset>(9), r.IsDBNull(10) ? null : r.GetString(10),
            new SurveyConsent(r.GetBoolean(11), r.IsDBNull(12) ? null : r.GetString(12)), r.IsDBNull(13) ? null : r.GetString(13));
    }
}
