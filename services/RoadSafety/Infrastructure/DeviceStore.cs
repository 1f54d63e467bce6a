using Npgsql;
using PublicSafety.RoadSafety.Apis;
using PublicSafety.ServiceDefaults;

namespace PublicSafety.RoadSafety.Infrastructure;

public enum DeviceChange { Done, NotFound, NotAllowed, Conflict }

/// <summary>The device registry: passports (7.9), lifecycle, verifications and the routes of car-mounted complexes.</summary>
public sealed class DeviceStore(NpgsqlDataSource db, TimeProvider time)
{
    private const string Columns = """
        d.id, d.kind, d.vendor_client_id, d.vendor, d.model, d.serial_number, d.approval_number, d.approval_valid_until, d.region,
        d.road, d.km_marker, d.direction, ST_Y(d.location::geometry), ST_X(d.location::geometry), d.owner, d.patrol_vehicle, d.status,
        d.installed_on, d.commissioned_on, d.decommissioned_on, d.last_report_at, d.silent_since,
        v.id, v.certificate_number, v.verifying_body, v.verified_at, v.valid_until, vs.state
        """;

    // The verification in force now, if any, and the state Model.VerificationStates defines (the list filters on the same column).
    private const string From = """
        FROM devices d
        LEFT JOIN LATERAL (SELECT * FROM device_verifications x WHERE x.device_id = d.id AND x.verified_at <= @now AND x.valid_until > @now
                           ORDER BY x.valid_until DESC LIMIT 1) v ON true
        CROSS JOIN LATERAL (SELECT CASE
            WHEN v.id IS NOT NULL THEN 'valid'
            WHEN EXISTS (SELECT 1 FROM device_verifications x WHERE x.device_id = d.id AND x.valid_until <= @now) THEN 'lapsed'
            WHEN EXISTS (SELECT 1 FROM device_verifications x WHERE x.device_id = d.id) THEN 'not_yet_valid'
            ELSE 'never' END AS state) vs
        """;

    public async Task<(DeviceResponse? Device, bool Duplicate)> CreateAsync(Guid id, DeviceRequest r, CancellationToken ct)
    {
        // A device registered as already installed or active was so at the latest today: the deployment plan counts it.
        var today = Kazakhstan.LocalDate(time.GetUtcNow());
        var installed = r.InstalledOn ?? (r.Status is "installed" or "active" ? today : null);
        var commissioned = r.CommissionedOn ?? (r.Status == "active" ? today : null);
        await using var cmd = db.CreateCommand("""
            INSERT INTO devices (id, kind, vendor_client_id, vendor, model, serial_number, approval_number, approval_valid_until, region, road,
                                 km_marker, direction, location, owner, patrol_vehicle, status, installed_on, commissioned_on)
            VALUES (@id, @kind, @vendorClient, @vendor, @model, @serial, @approval, @approvalUntil, @region, @road, @km, @direction,
                    CASE WHEN @lat::float8 IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint(@lon::float8, @lat::float8), 4326)::geography END,
                    @owner, @patrol, @status, @installed, @commissioned)
            ON CONFLICT (vendor, serial_number) DO NOTHING
            """);
        cmd.With("id", id).With("kind", r.Kind).With("vendorClient", r.VendorClientId).With("vendor", r.Vendor).With("model", r.Model)
            .With("serial", r.SerialNumber).With("approval", r.ApprovalNumber).With("approvalUntil", r.ApprovalValidUntil)
            .With("region", r.Region!.ToUpperInvariant()).WithText("road", r.Road).With("km", r.KmMarker).WithText("direction", r.Direction)
            .With("lat", r.Latitude).With("lon", r.Longitude).With("owner", r.Owner).WithText("patrol", r.PatrolVehicle)
            .With("status", r.Status ?? "planned").With("installed", installed).With("commissioned", commissioned);
        if (await cmd.ExecuteNonQueryAsync(ct) == 0)
        {
            return (null, true);
        }

        return (await GetAsync(id, null, ct), false);
    }

    /// <summary>Replaces the passport's descriptive fields (a renewed type approval, a moved device, another vendor); kind and status stay.</summary>
    public async Task<(DeviceChange Outcome, DeviceResponse? Device)> UpdateAsync(Guid id, string? scope, DeviceRequest r, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            UPDATE devices SET vendor_client_id = @vendorClient, vendor = @vendor, model = @model, serial_number = @serial, approval_number = @approval,
                approval_valid_until = @approvalUntil, road = @road, km_marker = @km, direction = @direction,
                location = CASE WHEN @lat::float8 IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint(@lon::float8, @lat::float8), 4326)::geography END,
                owner = @owner, patrol_vehicle = @patrol, installed_on = coalesce(@installed, installed_on),
                commissioned_on = coalesce(@commissioned, commissioned_on), updated_at = now()
            WHERE id = @id AND kind = @kind AND region = @region AND (@scope IS NULL OR region = @scope)
            """);
        cmd.With("id", id).WithText("scope", scope).With("kind", r.Kind).With("region", r.Region!.ToUpperInvariant()).With("vendorClient", r.VendorClientId)
            .With("vendor", r.Vendor).With("model", r.Model).With("serial", r.SerialNumber).With("approval", r.ApprovalNumber)
            .With("approvalUntil", r.ApprovalValidUntil).WithText("road", r.Road).With("km", r.KmMarker).WithText("direction", r.Direction)
            .With("lat", r.Latitude).With("lon", r.Longitude).With("owner", r.Owner).WithText("patrol", r.PatrolVehicle)
            .With("installed", r.InstalledOn).With("commissioned", r.CommissionedOn);
        cmd.Parameters["installed"].NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Date;
        cmd.Parameters["commissioned"].NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Date;
        cmd.Parameters["km"].NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Numeric;
        try
        {
            if (await cmd.ExecuteNonQueryAsync(ct) == 1) return (DeviceChange.Done, await GetAsync(id, scope, ct));
        }
        catch (PostgresException e) when (e.IsUniqueViolation())
        {
            return (DeviceChange.Conflict, null);
        }

        // Not in scope, or the request changes what can't change here (kind, region: register a new device instead).
        var existing = await GetAsync(id, scope, ct);
        return (existing is null ? DeviceChange.NotFound : DeviceChange.NotAllowed, existing);
    }

    public async Task<DeviceResponse?> GetAsync(Guid id, string? scope, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"SELECT {Columns} {From} WHERE d.id = @id AND (@scope IS NULL OR d.region = @scope)");
        cmd.With("id", id).With("now", time.GetUtcNow()).WithText("scope", scope);
        return (await cmd.ListAsync(Map, ct)).SingleOrDefault();
    }

    public async Task<DevicePage> ListAsync(string? region, string? kind, string? status, string? vendorClientId, string? verification, bool? lapsed,
        int page, int pageSize, CancellationToken ct)
    {
        const string Where = """
            WHERE (@region IS NULL OR d.region = @region) AND (@kind IS NULL OR d.kind = @kind) AND (@status IS NULL OR d.status = @status)
              AND (@vendor IS NULL OR d.vendor_client_id = @vendor)
              AND (@verification IS NULL OR vs.state = @verification)
              AND (@lapsed::boolean IS NULL OR @lapsed::boolean = (vs.state = 'lapsed'))
            """;
        await using var cmd = db.CreateCommand($"""
            SELECT {Columns}, count(*) OVER () {From} {Where} ORDER BY d.region, d.id LIMIT @limit OFFSET @offset
            """);
        cmd.With("now", time.GetUtcNow()).WithText("region", region).WithText("kind", kind).WithText("status", status).WithText("vendor", vendorClientId)
            .WithText("verification", verification).With("lapsed", lapsed).With("limit", pageSize).With("offset", (page - 1) * pageSize);
        long total = 0;
        var items = await cmd.ListAsync(r => { total = r.GetInt64(28); return Map(r); }, ct);
        return new DevicePage(items, page, pageSize, total);
    }

    public async Task<(DeviceChange Outcome, string? From)> TransitionAsync(Guid id, string? scope, string to, DateOnly? on, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using var read = new NpgsqlCommand("SELECT status FROM devices WHERE id = @id AND (@scope IS NULL OR region = @scope) FOR UPDATE", connection, tx);
        read.With("id", id).WithText("scope", scope);
        if (await read.ExecuteScalarAsync(ct) is not string from)
        {
            return (DeviceChange.NotFound, null);
        }

        if (!Model.Lifecycle.CanMove(from, to))
        {
            return (DeviceChange.NotAllowed, from);
        }

        var day = on ?? Kazakhstan.LocalDate(time.GetUtcNow());
        await using var update = new NpgsqlCommand("""
            UPDATE devices SET status = @to, updated_at = now(),
                installed_on = CASE WHEN @to = 'installed' THEN coalesce(installed_on, @day) ELSE installed_on END,
                commissioned_on = CASE WHEN @to = 'active' THEN coalesce(commissioned_on, @day) ELSE commissioned_on END,
                decommissioned_on = CASE WHEN @to = 'decommissioned' THEN @day ELSE decommissioned_on END,
                silent_since = NULL
            WHERE id = @id
            """, connection, tx);
        update.With("id", id).With("to", to).With("day", day);
        await update.ExecuteNonQueryAsync(ct);
        // A silence ends with the device leaving active service: uptime counts only active time.
        await using var close = new NpgsqlCommand("UPDATE device_silences SET silent_until = @now WHERE device_id = @id AND silent_until IS NULL", connection, tx);
        close.With("id", id).With("now", time.GetUtcNow());
        await close.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
        return (DeviceChange.Done, from);
    }

    public async Task<(DeviceChange Outcome, VerificationResponse? Verification)> AddVerificationAsync(Guid deviceId, string? scope, VerificationRequest r, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            INSERT INTO device_verifications (id, device_id, certificate_number, verifying_body, verified_at, valid_until)
            SELECT @id, d.id, @cert, @body, @from, @until FROM devices d WHERE d.id = @device AND (@scope IS NULL OR d.region = @scope)
            ON CONFLICT (device_id, certificate_number) DO NOTHING
            RETURNING id
            """);
        var id = Guid.CreateVersion7();
        cmd.With("id", id).With("device", deviceId).WithText("scope", scope).With("cert", r.CertificateNumber).With("body", r.VerifyingBody)
            .With("from", r.VerifiedAt!.Value.ToUniversalTime()).With("until", r.ValidUntil!.Value.ToUniversalTime());
        if (await cmd.ExecuteScalarAsync(ct) is Guid)
        {
            return (DeviceChange.Done, new VerificationResponse(id, r.CertificateNumber!, r.VerifyingBody!, r.VerifiedAt.Value.ToUniversalTime(), r.ValidUntil.Value.ToUniversalTime()));
        }

        return (await GetAsync(deviceId, scope, ct) is null ? DeviceChange.NotFound : DeviceChange.Conflict, null);
    }

    public async Task<IReadOnlyList<VerificationResponse>?> VerificationsAsync(Guid deviceId, string? scope, CancellationToken ct)
    {
        if (await GetAsync(deviceId, scope, ct) is null)
        {
            return null;
        }

        await using var cmd = db.CreateCommand("""
            SELECT id, certificate_number, verifying_body, verified_at, valid_until FROM device_verifications WHERE device_id = @id ORDER BY verified_at
            """);
        cmd.With("id", deviceId);
        return await cmd.ListAsync(r => new VerificationResponse(r.GetGuid(0), r.GetString(1), r.GetString(2),
            r.GetFieldValue<DateTimeOffset>(3), r.GetFieldValue<DateTimeOffset>(4)), ct);
    }

    public async Task<(DeviceChange Outcome, RouteResponse? Route)> AddRouteAsync(Guid deviceId, string? scope, RouteRequest r, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            INSERT INTO device_routes (id, device_id, road, started_at, ended_at, description)
            SELECT @id, d.id, @road, @from, @to, @description FROM devices d
            WHERE d.id = @device AND d.kind = 'mobile' AND (@scope IS NULL OR d.region = @scope)
            RETURNING id
            """);
        var id = Guid.CreateVersion7();
        cmd.With("id", id).With("device", deviceId).WithText("scope", scope).With("road", r.Road).With("from", r.StartedAt!.Value.ToUniversalTime())
            .With("to", r.EndedAt!.Value.ToUniversalTime()).WithText("description", r.Description);
        if (await cmd.ExecuteScalarAsync(ct) is Guid)
        {
            return (DeviceChange.Done, new RouteResponse(id, r.Road!, r.StartedAt.Value.ToUniversalTime(), r.EndedAt.Value.ToUniversalTime(), r.Description));
        }

        return (await GetAsync(deviceId, scope, ct) is null ? DeviceChange.NotFound : DeviceChange.NotAllowed, null);
    }

    public async Task<IReadOnlyList<RouteResponse>?> RoutesAsync(Guid deviceId, string? scope, CancellationToken ct)
    {
        if (await GetAsync(deviceId, scope, ct) is null)
        {
            return null;
        }

        await using var cmd = db.CreateCommand("SELECT id, road, started_at, ended_at, description FROM device_routes WHERE device_id = @id ORDER BY started_at");
        cmd.With("id", deviceId);
        return await cmd.ListAsync(r => new RouteResponse(r.GetGuid(0), r.GetString(1), r.GetFieldValue<DateTimeOffset>(2), r.GetFieldValue<DateTimeOffset>(3),
            r.Get<string>(4)), ct);
    }

    private static DeviceResponse Map(NpgsqlDataReader r)
    {
        var verification = r.IsDBNull(22) ? null : new VerificationResponse(r.GetGuid(22), r.GetString(23), r.GetString(24),
            r.GetFieldValue<DateTimeOffset>(25), r.GetFieldValue<DateTimeOffset>(26));
        return new DeviceResponse(r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetString(6),
            r.GetFieldValue<DateOnly>(7), r.GetString(8), r.Get<string>(9), r.GetStruct<decimal>(10), r.Get<string>(11), r.GetStruct<double>(12),
            r.GetStruct<double>(13), r.GetString(14), r.Get<string>(15), r.GetString(16), r.GetStruct<DateOnly>(17), r.GetStruct<DateOnly>(18),
            r.GetStruct<DateOnly>(19), r.GetStruct<DateTimeOffset>(20), r.GetStruct<DateTimeOffset>(21), verification, r.GetString(27));
    }
}
