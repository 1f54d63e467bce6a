using Npgsql;
using PublicSafety.Contracts.CrisisCapacity;
using PublicSafety.CrisisCapacity.Model;
using PublicSafety.ServiceDefaults.Messaging.Outbox;

namespace PublicSafety.CrisisCapacity.Infrastructure;

public sealed partial class BedLedger
{

    /// <summary>Admits a person who arrived without a hold: the same lock, check and events as a hold and its conversion.</summary>
    public async Task<PlaceOutcome> AdmitAsync(AdmitCommand command, CrisisAccess access, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        if (await FindAdmissionAsync(connection, command, access, ct) is { } earlier)
        {
            return earlier;
        }

        await using var tx = await connection.BeginTransactionAsync(ct);
        if (await LockForBookingAsync(tx, command.FacilityId, command.Category, access, ct) is not var (region, lat, lon))
        {
            return new PlaceOutcome.NotFound();
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
            return new PlaceOutcome.Full(await AlternativesAsync(connection, command.FacilityId, command.Category, command.Beds, lat, lon, access, ct));
        }

        var placement = new Placement(Guid.CreateVersion7(), null, command.FacilityId, region, command.Category, command.CaseCode, command.Beds,
            command.ChildrenAges, clock.GetUtcNow(), null, null, BookedBy: command.ClientId);
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
                return await FindAdmissionAsync(connection, command, access, ct) ?? throw new InvalidOperationException("Idempotency key vanished.");
            }
        }

        await AdjustAsync(tx, command.FacilityId, command.Category, 0, command.Beds, ct);
        await outbox.AddAsync(tx, new PlacementStarted(placement.Id, placement.FacilityId, region, placement.Category, placement.CaseCode,
            command.ChildrenAges.Length, placement.AdmittedAt), placement.FacilityId.ToString(), ct);
        await outbox.AddChangedAsync(tx, command.FacilityId, [command.Category], ct);
        await tx.CommitAsync(ct);
        return new PlaceOutcome.Placed(placement);
    }

    /// <summary>Locks the category row of a facility the caller may book in; null (not found) for any other.</summary>
    private static async Task<(string Region, double Lat, double Lon)?> LockForBookingAsync(
        NpgsqlTransaction tx, Guid facility, string category, CrisisAccess access, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT f.region, ST_Y(f.location::geometry), ST_X(f.location::geometry)
            FROM bed_categories b JOIN facilities f ON f.id = b.facility_id
            WHERE b.facility_id = @f AND b.category = @c AND (@region::text IS NULL OR f.region = @region::text)
            FOR UPDATE OF b
            """, tx.Connection, tx);
        cmd.Parameters.AddWithValue("f", facility);
        cmd.Parameters.AddWithValue("c", category);
        cmd.Parameters.Add(new NpgsqlParameter<string?>("region", access.ReachRegion) { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? (r.GetString(0), r.GetDouble(1), r.GetDouble(2)) : null;
    }

    /// <summary>
    /// The admission made earlier with this key by the same client and user; OutOfRegion (never the placement) when the
    /// caller's token no longer reaches it, e.g. the same officer with a token of another region.
    /// </summary>
    private async Task<PlaceOutcome?> FindAdmissionAsync(NpgsqlConnection connection, AdmitCommand command, CrisisAccess access, CancellationToken ct)
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
        if (!access.SeesBooking(earlier.Region, earlier.BookedBy))
        {
            return new PlaceOutcome.OutOfRegion();
        }

        return earlier.FacilityId == command.FacilityId && earlier.Category == command.Category && earlier.CaseCode == command.CaseCode
               && earlier.ChildrenAges.SequenceEqual(command.ChildrenAges)
            ? new PlaceOutcome.Repeated(earlier)
            : new PlaceOutcome.KeyReused();
    }
}
