using Npgsql;
using PublicSafety.Contracts.CrisisCapacity;
using PublicSafety.CrisisCapacity.Model;
using PublicSafety.ServiceDefaults.Messaging.Outbox;

namespace PublicSafety.CrisisCapacity.Infrastructure;

/// <summary>
/// Every change to who holds or occupies a bed. Each locks the facility-category row first (<c>FOR UPDATE</c>), so that
/// changes to one category are serialised: the availability read after the lock is exact, and overbooking impossible.
/// The state change and its events (outbox) commit together.
/// </summary>
public sealed partial class BedLedger(NpgsqlDataSource dataSource, IOutbox outbox, AvailabilityQueries queries, TimeProvider clock)
{
    private const string ReservationColumns = "r.id, r.facility_id, f.region, r.category, r.case_code, r.beds, r.created_at, r.expires_at, " +
        "CASE WHEN r.status = 'held' AND r.expires_at <= now() THEN 'expired' ELSE r.status END, r.client_id";

    public const int AlternativesShown = 5;
    public const double AlternativesRadiusMeters = 2_000_000;

    public async Task<ReserveOutcome> ReserveAsync(ReserveCommand command, TimeSpan hold, CrisisAccess access, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        if (await FindByKeyAsync(connection, command, access, ct) is { } earlier)
        {
            return earlier;
        }

        await using var tx = await connection.BeginTransactionAsync(ct);
        if (await LockForBookingAsync(tx, command.FacilityId, command.Category, access, ct) is not var (region, lat, lon))
        {
            return new ReserveOutcome.NotFound();
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
            return new ReserveOutcome.Full(await AlternativesAsync(connection, command.FacilityId, command.Category, command.Beds, lat, lon, access, ct));
        }

        var now = clock.GetUtcNow();
        var reservation = new Reservation(Guid.CreateVersion7(), command.FacilityId, region, command.Category, command.CaseCode, command.Beds,
            now, now + hold, ReservationStatuses.Held, command.ClientId);
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
                return await FindByKeyAsync(connection, command, access, ct) ?? throw new InvalidOperationException("Idempotency key vanished.");
            }
        }

        await AdjustAsync(tx, command.FacilityId, command.Category, command.Beds, 0, ct);
        await outbox.AddChangedAsync(tx, command.FacilityId, [command.Category], ct);
        await tx.CommitAsync(ct);
        return new ReserveOutcome.Created(reservation);
    }

    /// <summary>The hold, or null if there is none the caller may see.</summary>
    public async Task<Reservation?> GetReservationAsync(Guid id, CrisisAccess access, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand($"SELECT {ReservationColumns} FROM reservations r JOIN facilities f ON f.id = r.facility_id WHERE r.id = @id");
        cmd.Parameters.AddWithValue("id", id);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) && ReadReservation(r) is var reservation && access.SeesBooking(reservation.Region, reservation.BookedBy) ? reservation : null;
    }

    /// <summary>Releases a live hold (the person was placed elsewhere, or did not come).</summary>
    public async Task<PlaceOutcome> ReleaseAsync(Guid reservationId, CrisisAccess access, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var (outcome, reservation) = await LockHeldAsync(tx, reservationId, access, ct);
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
    /// <summary>Free beds of the category near a full facility, where the caller may book (nearest first).</summary>
    private Task<List<AvailableBedsRow>> AlternativesAsync(
        NpgsqlConnection connection, Guid facility, string category, int beds, double lat, double lon, CrisisAccess access, CancellationToken ct) =>
        queries.SearchAsync(new AvailabilitySearch(access.ReachRegion, lat, lon, AlternativesRadiusMeters, category, beds - 1, false, AlternativesShown,
            access.ExactRegions, facility), ct, connection);

    public async Task<PlaceOutcome> ConvertAsync(Guid reservationId, int[] childrenAges, CrisisAccess access, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var (outcome, reservation) = await LockHeldAsync(tx, reservationId, access, ct);
        if (outcome is not null)
        {
            await tx.CommitAsync(ct);
            return outcome;
        }

        var held = reservation!;
        var placement = new Placement(Guid.CreateVersion7(), held.Id, held.FacilityId, held.Region, held.Category, held.CaseCode, held.Beds,
            childrenAges, clock.GetUtcNow(), null, null, BookedBy: held.BookedBy);
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

    private async Task<(PlaceOutcome? Outcome, Reservation? Held)> LockHeldAsync(NpgsqlTransaction tx, Guid reservationId, CrisisAccess access, CancellationToken ct)
    {
        if (await ReadReservationAsync(tx, reservationId, false, ct) is not { } unlocked || !access.SeesBooking(unlocked.Region, unlocked.BookedBy))
        {
            return (new PlaceOutcome.NotFound(), null);
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
}
