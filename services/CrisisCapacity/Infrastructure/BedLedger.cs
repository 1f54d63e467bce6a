using Npgsql;
using PublicSafety.Contracts.CrisisCapacity;
using PublicSafety.CrisisCapacity.Model;
using PublicSafety.ServiceDefaults.Messaging.Outbox;

namespace PublicSafety.CrisisCapacity.Infrastructure;

public abstract record ReserveOutcome
{
    public sealed record Created(Reservation Reservation) : ReserveOutcome;
    public sealed record Repeated(Reservation Reservation) : ReserveOutcome;
    public sealed record KeyReused : ReserveOutcome;
    public sealed record NotFound : ReserveOutcome;
    public sealed record OutOfRegion : ReserveOutcome;
    public sealed record Full(IReadOnlyList<AvailableBedsRow> Alternatives) : ReserveOutcome;
}

public abstract record PlaceOutcome
{
    public sealed record Placed(Placement Placement) : PlaceOutcome;
    public sealed record NotFound : PlaceOutcome;
    public sealed record OutOfRegion : PlaceOutcome;
    public sealed record NotHeld(string Status) : PlaceOutcome;
    public sealed record Repeated(Placement Placement) : PlaceOutcome;
    public sealed record KeyReused : PlaceOutcome;
    public sealed record Full(IReadOnlyList<AvailableBedsRow> Alternatives) : PlaceOutcome;
}

/// <summary>
/// Every change to who holds or occupies a bed. Each locks the facility-category row first (<c>FOR UPDATE</c>), so that
/// changes to one category are serialised: the availability read after the lock is exact, and overbooking impossible.
/// The state change and its events (outbox) commit together.
/// </summary>
public sealed class BedLedger(NpgsqlDataSource dataSource, IOutbox outbox, AvailabilityQueries queries, TimeProvider clock)
{
    private const string ReservationColumns = "r.id, r.facility_id, f.region, r.category, r.case_code, r.beds, r.created_at, r.expires_at, " +
        "CASE WHEN r.status = 'held' AND r.expires_at <= now() THEN 'expired' ELSE r.status END";

    public const int AlternativesShown = 5;
    public const double AlternativesRadiusMeters = 2_000_000;

    public async Task<ReserveOutcome> ReserveAsync(ReserveCommand command, TimeSpan hold, Func<string, bool> mayAccessRegion, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        if (await FindByKeyAsync(connection, command, ct) is { } earlier)
        {
            return earlier;
        }

        await using var tx = await connection.BeginTransactionAsync(ct);
        string region;
        double lat, lon;
        await using (var lockCmd = new NpgsqlCommand("""
            SELECT f.region, ST_Y(f.location::geometry), ST_X(f.location::geometry)
            FROM bed_categories b JOIN facilities f ON f.id = b.facility_id
            WHERE b.facility_id = @f AND b.category = @c
            FOR UPDATE OF b
            """, connection, tx))
        {
            lockCmd.Parameters.AddWithValue("f", command.FacilityId);
            lockCmd.Parameters.AddWithValue("c", command.Category);
            await using var r = await lockCmd.ExecuteReaderAsync(ct);
            if (!await r.ReadAsync(ct))
            {
                return new ReserveOutcome.NotFound();
            }

            (region, lat, lon) = (r.GetString(0), r.GetDouble(1), r.GetDouble(2));
        }

        if (!mayAccessRegion(region))
        {
            return new ReserveOutcome.OutOfRegion();
        }

        var settled = await SettleLapsedAsync(tx, command.FacilityId, command.Category, ct);
        if (await AvailableAsync(tx, command.FacilityId, command.Category, ct) < command.Beds)
        {
            await AvailabilityQueries.RecordTurnedAwayAsync(connection, tx, region, command.Category, command.Beds, "reservation", ct);
            if (settled)
            {
                await outbox.AddChangedAsync(tx, command.FacilityId, [command.Category], ct);
            }

            await tx.CommitAsync(ct);
            var alternatives = await queries.SearchAsync(new AvailabilitySearch(null, lat, lon, AlternativesRadiusMeters, command.Category,
                command.Beds - 1, false, AlternativesShown, command.FacilityId), ct, connection);
            return new ReserveOutcome.Full(alternatives);
        }

        var now = clock.GetUtcNow();
        var reservation = new Reservation(Guid.CreateVersion7(), command.FacilityId, region, command.Category, command.CaseCode, command.Beds,
            now, now + hold, ReservationStatuses.Held);
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO reservations (id, facility_id, category, case_code, beds, idempotency_key, client_id, created_at, expires_at, status)
            VALUES (@id, @f, @c, @code, @beds, @key, @client, @created, @expires, 'held')
            ON CONFLICT (client_id, idempotency_key) DO NOTHING
            """, connection, tx))
        {
            insert.Parameters.AddWithValue("id", reservation.Id);
            insert.Parameters.AddWithValue("f", command.FacilityId);
            insert.Parameters.AddWithValue("c", command.Category);
            insert.Parameters.AddWithValue("code", command.CaseCode);
            insert.Parameters.AddWithValue("beds", command.Beds);
            insert.Parameters.AddWithValue("key", command.IdempotencyKey);
            insert.Parameters.AddWithValue("client", command.ClientId);
            insert.Parameters.AddWithValue("created", now);
            insert.Parameters.AddWithValue("expires", reservation.ExpiresAt);
            if (await insert.ExecuteNonQueryAsync(ct) == 0)
            {
                // The same key won a race with this request: answer with its result.
                await tx.RollbackAsync(ct);
                return await FindByKeyAsync(connection, command, ct) ?? throw new InvalidOperationException("Idempotency key vanished.");
            }
        }

        await AdjustAsync(tx, command.FacilityId, command.Category, command.Beds, 0, ct);
        await outbox.AddChangedAsync(tx, command.FacilityId, [command.Category], ct);
        await tx.CommitAsync(ct);
        return new ReserveOutcome.Created(reservation);
    }

    public async Task<Reservation?> GetReservationAsync(Guid id, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand($"SELECT {ReservationColumns} FROM reservations r JOIN facilities f ON f.id = r.facility_id WHERE r.id = @id");
        cmd.Parameters.AddWithValue("id", id);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? ReadReservation(r) : null;
    }

    /// <summary>Releases a live hold (the person was placed elsewhere, or did not come).</summary>
    public async Task<PlaceOutcome> ReleaseAsync(Guid reservationId, Func<string, bool> mayAccessRegion, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var (outcome, reservation) = await LockHeldAsync(tx, reservationId, mayAccessRegion, ct);
        if (outcome is not null)
        {
            await tx.CommitAsync(ct);
            return outcome;
        }

        await SetStatusAsync(tx, reservationId, ReservationStatuses.Released, ct);
        await AdjustAsync(tx, reservation!.FacilityId, reservation.Category, -reservation.Beds, 0, ct);
        await outbox.AddChangedAsync(tx, reservation!.FacilityId, [reservation.Category], ct);
        await tx.CommitAsync(ct);
        return new PlaceOutcome.NotHeld(ReservationStatuses.Released);
    }

    /// <summary>Admits the person a live hold was for; a hold that expired meanwhile is marked expired and nothing is placed.</summary>
    public async Task<PlaceOutcome> ConvertAsync(Guid reservationId, int[] childrenAges, Func<string, bool> mayAccessRegion, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var (outcome, reservation) = await LockHeldAsync(tx, reservationId, mayAccessRegion, ct);
        if (outcome is not null)
        {
            await tx.CommitAsync(ct);
            return outcome;
        }

        var held = reservation!;
        var placement = new Placement(Guid.CreateVersion7(), held.Id, held.FacilityId, held.Region, held.Category, held.CaseCode, held.Beds,
            childrenAges, clock.GetUtcNow(), null, null);
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO placements (id, reservation_id, facility_id, category, case_code, beds, children_ages, admitted_at)
            VALUES (@id, @r, @f, @c, @code, @beds, @ages, @at)
            """, connection, tx))
        {
            insert.Parameters.AddWithValue("id", placement.Id);
            insert.Parameters.AddWithValue("r", held.Id);
            insert.Parameters.AddWithValue("f", held.FacilityId);
            insert.Parameters.AddWithValue("c", held.Category);
            insert.Parameters.AddWithValue("code", held.CaseCode);
            insert.Parameters.AddWithValue("beds", held.Beds);
            insert.Parameters.AddWithValue("ages", childrenAges);
            insert.Parameters.AddWithValue("at", placement.AdmittedAt);
            await insert.ExecuteNonQueryAsync(ct);
        }

        await SetStatusAsync(tx, held.Id, ReservationStatuses.Converted, ct);
        await AdjustAsync(tx, held.FacilityId, held.Category, -held.Beds, held.Beds, ct);
        await outbox.AddAsync(tx, new PlacementStarted(placement.Id, placement.FacilityId, placement.Region, placement.Category, placement.CaseCode,
            childrenAges.Length, placement.AdmittedAt), placement.FacilityId.ToString(), ct);
        await outbox.AddChangedAsync(tx, held.FacilityId, [held.Category], ct);
        await tx.CommitAsync(ct);
        return new PlaceOutcome.Placed(placement);
    }

    /// <summary>Admits a person who arrived without a hold: the same lock, check and events as a hold and its conversion.</summary>
    public async Task<PlaceOutcome> AdmitAsync(AdmitCommand command, Func<string, bool> mayAccessRegion, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        if (await FindAdmissionAsync(connection, command, ct) is { } earlier)
        {
            return earlier;
        }

        await using var tx = await connection.BeginTransactionAsync(ct);
        if (await LockForBookingAsync(tx, command.FacilityId, command.Category, ct) is not var (region, lat, lon))
        {
            return new PlaceOutcome.NotFound();
        }

        if (!mayAccessRegion(region))
        {
            return new PlaceOutcome.OutOfRegion();
        }

        var settled = await SettleLapsedAsync(tx, command.FacilityId, command.Category, ct);
        if (await AvailableAsync(tx, command.FacilityId, command.Category, ct) < command.Beds)
        {
            await AvailabilityQueries.RecordTurnedAwayAsync(connection, tx, region, command.Category, command.Beds, "admission", ct);
            if (settled)
            {
                await outbox.AddChangedAsync(tx, command.FacilityId, [command.Category], ct);
            }

            await tx.CommitAsync(ct);
            return new PlaceOutcome.Full(await queries.SearchAsync(new AvailabilitySearch(null, lat, lon, AlternativesRadiusMeters, command.Category,
                command.Beds - 1, false, AlternativesShown, command.FacilityId), ct, connection));
        }

        var placement = new Placement(Guid.CreateVersion7(), null, command.FacilityId, region, command.Category, command.CaseCode, command.Beds,
            command.ChildrenAges, clock.GetUtcNow(), null, null);
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO placements (id, facility_id, category, case_code, beds, children_ages, admitted_at, client_id, idempotency_key)
            VALUES (@id, @f, @c, @code, @beds, @ages, @at, @client, @key)
            ON CONFLICT (client_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
            """, connection, tx))
        {
            insert.Parameters.AddWithValue("id", placement.Id);
            insert.Parameters.AddWithValue("f", command.FacilityId);
            insert.Parameters.AddWithValue("c", command.Category);
            insert.Parameters.AddWithValue("code", command.CaseCode);
            insert.Parameters.AddWithValue("beds", command.Beds);
            insert.Parameters.AddWithValue("ages", command.ChildrenAges);
            insert.Parameters.AddWithValue("at", placement.AdmittedAt);
            insert.Parameters.AddWithValue("client", command.ClientId);
            insert.Parameters.AddWithValue("key", command.IdempotencyKey);
            if (await insert.ExecuteNonQueryAsync(ct) == 0)
            {
                await tx.RollbackAsync(ct);
                return await FindAdmissionAsync(connection, command, ct) ?? throw new InvalidOperationException("Idempotency key vanished.");
            }
        }

        await AdjustAsync(tx, command.FacilityId, command.Category, 0, command.Beds, ct);
        await outbox.AddAsync(tx, new PlacementStarted(placement.Id, placement.FacilityId, region, placement.Category, placement.CaseCode,
            command.ChildrenAges.Length, placement.AdmittedAt), placement.FacilityId.ToString(), ct);
        await outbox.AddChangedAsync(tx, command.FacilityId, [command.Category], ct);
        await tx.CommitAsync(ct);
        return new PlaceOutcome.Placed(placement);
    }

    private static async Task<(string Region, double Lat, double Lon)?> LockForBookingAsync(NpgsqlTransaction tx, Guid facility, string category, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT f.region, ST_Y(f.location::geometry), ST_X(f.location::geometry)
            FROM bed_categories b JOIN facilities f ON f.id = b.facility_id
            WHERE b.facility_id = @f AND b.category = @c
            FOR UPDATE OF b
            """, tx.Connection, tx);
        cmd.Parameters.AddWithValue("f", facility);
        cmd.Parameters.AddWithValue("c", category);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? (r.GetString(0), r.GetDouble(1), r.GetDouble(2)) : null;
    }

    private async Task<PlaceOutcome?> FindAdmissionAsync(NpgsqlConnection connection, AdmitCommand command, CancellationToken ct)
    {
        Guid id;
        await using (var cmd = new NpgsqlCommand("SELECT id FROM placements WHERE client_id = @client AND idempotency_key = @key", connection))
        {
            cmd.Parameters.AddWithValue("client", command.ClientId);
            cmd.Parameters.AddWithValue("key", command.IdempotencyKey);
            if (await cmd.ExecuteScalarAsync(ct) is not Guid found)
            {
                return null;
            }

            id = found;
        }

        await using var tx = await connection.BeginTransactionAsync(ct);
        var earlier = (await ReadPlacementAsync(tx, id, ct))!;
        await tx.CommitAsync(ct);
        return earlier.FacilityId == command.FacilityId && earlier.Category == command.Category && earlier.CaseCode == command.CaseCode
               && earlier.ChildrenAges.SequenceEqual(command.ChildrenAges)
            ? new PlaceOutcome.Repeated(earlier)
            : new PlaceOutcome.KeyReused();
    }

    public async Task<PlaceOutcome> DischargeAsync(Guid placementId, string reason, Func<string, bool> mayAccessRegion, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        if (await ReadPlacementAsync(tx, placementId, ct) is not { } placement)
        {
            return new PlaceOutcome.NotFound();
        }

        if (!mayAccessRegion(placement.Region))
        {
            return new PlaceOutcome.OutOfRegion();
        }

        await LockCategoryAsync(tx, placement.FacilityId, placement.Category, ct);
        await using (var update = new NpgsqlCommand("""
            UPDATE placements SET discharged_at = @at, discharge_reason = @reason
            WHERE id = @id AND discharged_at IS NULL
            RETURNING discharged_at
            """, connection, tx))
        {
            update.Parameters.AddWithValue("id", placementId);
            update.Parameters.AddWithValue("at", clock.GetUtcNow());
            update.Parameters.AddWithValue("reason", reason);
            if (await update.ExecuteScalarAsync(ct) is not DateTime)
            {
                return new PlaceOutcome.NotHeld("discharged");
            }
        }

        await AdjustAsync(tx, placement.FacilityId, placement.Category, 0, -placement.Beds, ct);
        var ended = (await ReadPlacementAsync(tx, placementId, ct))!;
        await outbox.AddAsync(tx, new PlacementEnded(ended.Id, ended.FacilityId, ended.Region, ended.CaseCode, ended.DischargedAt!.Value),
            ended.FacilityId.ToString(), ct);
        await outbox.AddChangedAsync(tx, ended.FacilityId, [ended.Category], ct);
        await tx.CommitAsync(ct);
        return new PlaceOutcome.Placed(ended);
    }

    public async Task<Placement?> GetPlacementAsync(Guid id, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        return await ReadPlacementAsync(tx, id, ct);
    }

    /// <summary>
    /// Marks holds past their expiry and records the new counts: one facility-category at a time, locking its row first
    /// like every other writer (so never in a lock order that could deadlock with a conversion).
    /// </summary>
    public async Task<int> ExpireHoldsAsync(CancellationToken ct)
    {
        var lapsed = new List<(Guid Facility, string Category)>();
        await using (var find = dataSource.CreateCommand("""
            SELECT DISTINCT facility_id, category FROM reservations WHERE status = 'held' AND expires_at <= now() LIMIT 200
            """))
        await using (var r = await find.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                lapsed.Add((r.GetGuid(0), r.GetString(1)));
            }
        }

        foreach (var (facility, category) in lapsed)
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            await using var tx = await connection.BeginTransactionAsync(ct);
            await LockCategoryAsync(tx, facility, category, ct);
            if (await SettleLapsedAsync(tx, facility, category, ct))
            {
                await outbox.AddChangedAsync(tx, facility, [category], ct);
            }

            await tx.CommitAsync(ct);
        }

        return lapsed.Count;
    }

    private async Task<(PlaceOutcome? Outcome, Reservation? Held)> LockHeldAsync(NpgsqlTransaction tx, Guid reservationId, Func<string, bool> mayAccessRegion, CancellationToken ct)
    {
        if (await ReadReservationAsync(tx, reservationId, false, ct) is not { } unlocked)
        {
            return (new PlaceOutcome.NotFound(), null);
        }

        if (!mayAccessRegion(unlocked.Region))
        {
            return (new PlaceOutcome.OutOfRegion(), null);
        }

        // Category row first, then the reservation: the same order as every other writer.
        await LockCategoryAsync(tx, unlocked.FacilityId, unlocked.Category, ct);
        if (await SettleLapsedAsync(tx, unlocked.FacilityId, unlocked.Category, ct))
        {
            // Holds (perhaps this one) expired before the sweeper came by: settled now, with their event.
            await outbox.AddChangedAsync(tx, unlocked.FacilityId, [unlocked.Category], ct);
        }

        var reservation = (await ReadReservationAsync(tx, reservationId, true, ct))!;

        return reservation.Status == ReservationStatuses.Held ? (null, reservation) : (new PlaceOutcome.NotHeld(reservation.Status), null);
    }

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

    private static async Task<ReserveOutcome?> FindByKeyAsync(NpgsqlConnection connection, ReserveCommand command, CancellationToken ct)
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
        r.GetFieldValue<DateTimeOffset>(6), r.GetFieldValue<DateTimeOffset>(7), r.GetString(8));

    private static async Task<Placement?> ReadPlacementAsync(NpgsqlTransaction tx, Guid id, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT p.id, p.reservation_id, p.facility_id, f.region, p.category, p.case_code, p.beds, p.children_ages,
                   p.admitted_at, p.discharged_at, p.discharge_reason
            FROM placements p JOIN facilities f ON f.id = p.facility_id WHERE p.id = @id
            """, tx.Connection, tx);
        cmd.Parameters.AddWithValue("id", id);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct))
        {
            return null;
        }

        return new Placement(r.GetGuid(0), r.IsDBNull(1) ? null : r.GetGuid(1), r.GetGuid(2), r.GetString(3), r.GetString(4), r.GetString(5),
            r.GetInt32(6), r.GetFieldValue<int[]>(7), r.GetFieldValue<DateTimeOffset>(8),
            r.IsDBNull(9) ? null : r.GetFieldValue<DateTimeOffset>(9), r.IsDBNull(10) ? null : r.GetString(10));
    }
}
