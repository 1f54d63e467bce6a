using Npgsql;
using PublicSafety.CrisisCapacity.Model;
using PublicSafety.ServiceDefaults.Auth;
using PublicSafety.ServiceDefaults.Messaging.Outbox;

namespace PublicSafety.CrisisCapacity.Infrastructure;

/// <summary>OutOfRegion: the facility is in the caller's scope, but the new region is not.</summary>
public enum FacilityChange { Done, NotFound, InUse, OutOfRegion }

/// <summary>
/// Facilities and their bed categories; every change to bed counts records BedAvailabilityChanged. Reads and changes
/// take the region the caller is limited to (null: every region) and treat a facility elsewhere as absent.
/// </summary>
public sealed class FacilityStore(NpgsqlDataSource dataSource, IOutbox outbox)
{
    public async Task CreateAsync(Guid id, FacilityData data, bool synthetic, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using (var cmd = new NpgsqlCommand("""
            INSERT INTO facilities (id, kind, name, region, settlement, location, confidential_address, contact_phone, contact_email,
                psychologist, lawyer, medical_care, accepts_children, accessible, open_at_night, synthetic)
            VALUES (@id, @kind, @name, @region, @settlement, ST_SetSRID(ST_MakePoint(@lon, @lat), 4326)::geography, @address, @phone, @email,
                @psychologist, @lawyer, @medical, @children, @accessible, @night, @synthetic)
            """, connection, tx))
        {
            Bind(cmd, id, data);
            cmd.Parameters.AddWithValue("synthetic", synthetic);
            await cmd.ExecuteNonQueryAsync(ct);
        }

        foreach (var bed in data.Beds)
        {
            await UpsertBedsAsync(tx, id, bed, ct);
        }

        await outbox.AddChangedAsync(tx, id, data.Beds.Select(b => b.Category), ct);
        await tx.CommitAsync(ct);
    }

    public async Task<Facility?> GetAsync(Guid id, string? region, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        FacilityData data;
        bool synthetic;
        await using (var cmd = new NpgsqlCommand("""
            SELECT kind, name, region, settlement, ST_Y(location::geometry), ST_X(location::geometry), confidential_address,
                   contact_phone, contact_email, psychologist, lawyer, medical_care, accepts_children, accessible, open_at_night, synthetic
            FROM facilities WHERE id = @id AND (@region::text IS NULL OR region = @region::text)
            """, connection))
        {
            cmd.Parameters.AddWithValue("id", id);
            cmd.Parameters.Add(RegionParameter(region));
            await using var r = await cmd.ExecuteReaderAsync(ct);
            if (!await r.ReadAsync(ct))
            {
                return null;
            }

            data = new FacilityData(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetDouble(4), r.GetDouble(5), r.GetString(6),
                r.IsDBNull(7) ? null : r.GetString(7), r.IsDBNull(8) ? null : r.GetString(8),
                new FacilityServices(r.GetBoolean(9), r.GetBoolean(10), r.GetBoolean(11), r.GetBoolean(12), r.GetBoolean(13)), r.GetBoolean(14), []);
            synthetic = r.GetBoolean(15);
        }

        var availability = new List<CategoryAvailability>();
        await using (var cmd = new NpgsqlCommand("""
            SELECT category, total, out_of_service, occupied, reserved, available FROM bed_availability WHERE facility_id = @id ORDER BY category
            """, connection))
        {
            cmd.Parameters.AddWithValue("id", id);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                availability.Add(new CategoryAvailability(r.GetString(0), r.GetInt32(1), r.GetInt32(2), r.GetInt32(3), r.GetInt32(4), r.GetInt32(5)));
            }
        }

        return new Facility(id, data with { Beds = availability.Select(a => new BedCount(a.Category, a.Total, a.OutOfService)).ToArray() }, availability, synthetic);
    }

    /// <summary>Replaces the facility's details and bed counts; a category left out keeps no beds. InUse if beds in use would not fit.</summary>
    public async Task<FacilityChange> UpdateAsync(Guid id, FacilityData data, RegionScope scope, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        if (!await LockInScopeAsync(tx, id, scope, ct))
        {
            return FacilityChange.NotFound;
        }

        if (!scope.Covers(data.Region))
        {
            return FacilityChange.OutOfRegion;
        }

        await using (var cmd = new NpgsqlCommand("""
            UPDATE facilities SET kind = @kind, name = @name, region = @region, settlement = @settlement,
                location = ST_SetSRID(ST_MakePoint(@lon, @lat), 4326)::geography, confidential_address = @address,
                contact_phone = @phone, contact_email = @email, psychologist = @psychologist, lawyer = @lawyer, medical_care = @medical,
                accepts_children = @children, accessible = @accessible, open_at_night = @night, updated_at = now()
            WHERE id = @id
            """, connection, tx))
        {
            Bind(cmd, id, data);
            if (await cmd.ExecuteNonQueryAsync(ct) == 0)
            {
                return FacilityChange.NotFound;
            }
        }

        var beds = BedCategories.All.Select(c => data.Beds.FirstOrDefault(b => b.Category == c) ?? new BedCount(c, 0, 0)).ToArray();
        var existing = new List<string>();
        await using (var cmd = new NpgsqlCommand("SELECT category FROM bed_categories WHERE facility_id = @id ORDER BY category FOR UPDATE", connection, tx))
        {
            cmd.Parameters.AddWithValue("id", id);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                existing.Add(r.GetString(0));
            }
        }

        var changed = beds.Where(b => b.Total > 0 || existing.Contains(b.Category)).ToArray();
        try
        {
            foreach (var bed in changed)
            {
                await UpsertBedsAsync(tx, id, bed, ct);
            }
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.CheckViolation)
        {
            // bed_categories_no_overbooking: beds in use (placements, holds) must still fit after the edit.
            await tx.RollbackAsync(ct);
            return FacilityChange.InUse;
        }

        await outbox.AddChangedAsync(tx, id, changed.Select(b => b.Category), ct);
        await tx.CommitAsync(ct);
        return FacilityChange.Done;
    }

    /// <summary>Deletes a facility that has no open placement and no live hold.</summary>
    public async Task<FacilityChange> DeleteAsync(Guid id, RegionScope scope, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        if (!await LockInScopeAsync(tx, id, scope, ct))
        {
            return FacilityChange.NotFound;
        }

        await using (var lockCmd = new NpgsqlCommand("SELECT 1 FROM bed_categories WHERE facility_id = @id FOR UPDATE", connection, tx))
        {
            lockCmd.Parameters.AddWithValue("id", id);
            await lockCmd.ExecuteNonQueryAsync(ct);
        }

        await using (var check = new NpgsqlCommand("SELECT count(*) FROM bed_availability WHERE facility_id = @id AND (occupied > 0 OR reserved > 0)", connection, tx))
        {
            check.Parameters.AddWithValue("id", id);
            if ((long)(await check.ExecuteScalarAsync(ct))! > 0)
            {
                return FacilityChange.InUse;
            }
        }

        // Closed placements and spent holds go with the facility (ON DELETE CASCADE through bed_categories).
        await using var cmd = new NpgsqlCommand("DELETE FROM facilities WHERE id = @id", connection, tx);
        cmd.Parameters.AddWithValue("id", id);
        var deleted = await cmd.ExecuteNonQueryAsync(ct) > 0;
        await tx.CommitAsync(ct);
        return deleted ? FacilityChange.Done : FacilityChange.NotFound;
    }

    /// <summary>
    /// Locks the facility's row if it is in the caller's scope. Facility row first, then its categories: the order of
    /// every facility change (bookings lock categories only).
    /// </summary>
    private static async Task<bool> LockInScopeAsync(NpgsqlTransaction tx, Guid id, RegionScope scope, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            "SELECT 1 FROM facilities WHERE id = @id AND (@region::text IS NULL OR region = @region::text) FOR UPDATE", tx.Connection, tx);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.Add(RegionParameter(scope.Region));
        return await cmd.ExecuteScalarAsync(ct) is not null;
    }

    private static NpgsqlParameter<string?> RegionParameter(string? region) => new("region", region) { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text };

    private static async Task UpsertBedsAsync(NpgsqlTransaction tx, Guid id, BedCount bed, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO bed_categories (facility_id, category, total, out_of_service) VALUES (@id, @c, @t, @o)
            ON CONFLICT (facility_id, category) DO UPDATE SET total = excluded.total, out_of_service = excluded.out_of_service
            """, tx.Connection, tx);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("c", bed.Category);
        cmd.Parameters.AddWithValue("t", bed.Total);
        cmd.Parameters.AddWithValue("o", bed.OutOfService);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static void Bind(NpgsqlCommand cmd, Guid id, FacilityData d)
    {
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("kind", d.Kind);
        cmd.Parameters.AddWithValue("name", d.Name);
        cmd.Parameters.AddWithValue("region", d.Region);
        cmd.Parameters.AddWithValue("settlement", d.Settlement);
        cmd.Parameters.AddWithValue("lat", d.Latitude);
        cmd.Parameters.AddWithValue("lon", d.Longitude);
        cmd.Parameters.AddWithValue("address", d.ConfidentialAddress);
        cmd.Parameters.Add(new NpgsqlParameter<string?>("phone", d.Phone) { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter<string?>("email", d.Email) { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        cmd.Parameters.AddWithValue("psychologist", d.Services.Psychologist);
        cmd.Parameters.AddWithValue("lawyer", d.Services.Lawyer);
        cmd.Parameters.AddWithValue("medical", d.Services.MedicalCare);
        cmd.Parameters.AddWithValue("children", d.Services.AcceptsChildren);
        cmd.Parameters.AddWithValue("accessible", d.Services.Accessible);
        cmd.Parameters.AddWithValue("night", d.OpenAtNight);
    }
}
