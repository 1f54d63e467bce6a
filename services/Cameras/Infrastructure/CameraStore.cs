using Npgsql;
using NpgsqlTypes;
using PublicSafety.Cameras.Apis;
using PublicSafety.Cameras.Model;
using PublicSafety.ServiceDefaults;

namespace PublicSafety.Cameras.Infrastructure;

public sealed record CameraFilter(string? Region, string? Settlement, string? Status, string? Kind, string? Owner, string? SiteType,
    string? ControlCentre, string? Health, int Page, int PageSize, string? VendorClientId = null);

public enum TransitionOutcome { Moved, NotFound, NotAllowed }

/// <summary>The registry's reads and writes (PostGIS SQL: DESIGN §4). Region-scoped callers pass their region; other rows are invisible.</summary>
public sealed class CameraStore(NpgsqlDataSource dataSource, TimeProvider time)
{
    private const string Columns = """
        id, name, kind, status, region, ST_Y(location::geometry), ST_X(location::geometry), address, settlement, site_type, owner,
        capabilities, control_centre, installed_on, health, last_seen_at, stream_endpoint IS NOT NULL, created_at, updated_at,
        vendor_client_id, synthetic
        """;

    // While a camera's health is unknown, health_changed_at is when it became active: the offline sweeper measures the silence
    // of a camera that never reported from then.
    private const string MonitoredFrom = "CASE WHEN @status = 'active' THEN @now END";

    /// <summary>Registers a camera; a repeated idempotency key returns the camera the first request created.</summary>
    public async Task<(CameraResponse Camera, bool Created)> CreateAsync(CameraRequest request, string? idempotencyKey, string? actor, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var id = Guid.CreateVersion7();
        var status = request.Status ?? Lifecycle.Planned;
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using (var insert = new NpgsqlCommand($"""
            INSERT INTO cameras (id, name, kind, status, region, location, address, settlement, site_type, owner, capabilities,
                                 control_centre, installed_on, vendor_client_id, idempotency_key, created_at, updated_at, health_changed_at)
            VALUES (@id, @name, @kind, @status, @region, ST_SetSRID(ST_MakePoint(@lon, @lat), 4326)::geography, @address, @settlement,
                    @site_type, @owner, @capabilities, @control_centre, @installed_on, @vendor, @key, @now, @now, {MonitoredFrom})
            ON CONFLICT (idempotency_key) DO NOTHING
            """, connection, tx))
        {
            AddFields(insert, request);
            insert.Parameters.AddWithValue("id", id);
            insert.Parameters.AddWithValue("status", status);
            insert.Parameters.Add(Text("key", idempotencyKey));
            insert.Parameters.AddWithValue("now", now);
            if (await insert.ExecuteNonQueryAsync(ct) == 0)
            {
                await tx.RollbackAsync(ct);
                return (await FindByKeyAsync(idempotencyKey!, ct) ?? throw new InvalidOperationException("Idempotency key vanished."), false);
            }
        }

        await AddHistoryAsync(connection, tx, id, null, status, "registered", actor, now, ct);
        await tx.CommitAsync(ct);
        return ((await GetAsync(id, null, ct))!, true);
    }

    public async Task<CameraResponse?> GetAsync(Guid id, string? scope, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand($"SELECT {Columns} FROM cameras WHERE id = @id AND (@scope::text IS NULL OR region = @scope)");
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.Add(Text("scope", scope));
        return await ReadOneAsync(cmd, ct);
    }

    private async Task<CameraResponse?> FindByKeyAsync(string key, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand($"SELECT {Columns} FROM cameras WHERE idempotency_key = @key");
        cmd.Parameters.AddWithValue("key", key);
        return await ReadOneAsync(cmd, ct);
    }

    public async Task<CameraPage> ListAsync(CameraFilter filter, CancellationToken ct)
    {
        const string where = """
            WHERE (@region::text IS NULL OR region = @region) AND (@settlement::text IS NULL OR settlement = @settlement)
              AND (@status::text IS NULL OR status = @status) AND (@kind::text IS NULL OR kind = @kind)
              AND (@owner::text IS NULL OR owner = @owner) AND (@site_type::text IS NULL OR site_type = @site_type)
              AND (@control_centre::text IS NULL OR control_centre = @control_centre) AND (@health::text IS NULL OR health = @health)
              AND (@vendor::text IS NULL OR vendor_client_id = @vendor)
            """;
        await using var batch = dataSource.CreateBatch();
        var count = new NpgsqlBatchCommand($"SELECT count(*) FROM cameras {where}");
        var page = new NpgsqlBatchCommand($"SELECT {Columns} FROM cameras {where} ORDER BY region, id LIMIT @limit OFFSET @offset");
        foreach (var command in new[] { count, page })
        {
            command.Parameters.Add(Text("region", filter.Region));
            command.Parameters.Add(Text("settlement", filter.Settlement));
            command.Parameters.Add(Text("status", filter.Status));
            command.Parameters.Add(Text("kind", filter.Kind));
            command.Parameters.Add(Text("owner", filter.Owner));
            command.Parameters.Add(Text("site_type", filter.SiteType));
            command.Parameters.Add(Text("control_centre", filter.ControlCentre));
            command.Parameters.Add(Text("health", filter.Health));
            command.Parameters.Add(Text("vendor", filter.VendorClientId));
        }

        page.Parameters.AddWithValue("limit", filter.PageSize);
        page.Parameters.AddWithValue("offset", (long)(filter.Page - 1) * filter.PageSize);
        batch.BatchCommands.Add(count);
        batch.BatchCommands.Add(page);
        await using var reader = await batch.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var total = reader.GetInt64(0);
        await reader.NextResultAsync(ct);
        var items = new List<CameraResponse>();
        while (await reader.ReadAsync(ct))
        {
            items.Add(Read(reader));
        }

        return new CameraPage(items, filter.Page, filter.PageSize, total);
    }

    /// <summary>Every camera in scope by id, a page at a time (keyset on the primary key), for exports.</summary>
    public async IAsyncEnumerable<CameraResponse> AllAsync(string? scope, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        Guid? after = null;
        while (true)
        {
            await using var cmd = dataSource.CreateCommand(
                $"SELECT {Columns} FROM cameras WHERE (@scope::text IS NULL OR region = @scope) AND (@after::uuid IS NULL OR id > @after) ORDER BY id LIMIT 1000");
            cmd.Parameters.Add(Text("scope", scope));
            cmd.Parameters.Add(new NpgsqlParameter<Guid?>("after", after) { NpgsqlDbType = NpgsqlDbType.Uuid });
            var page = new List<CameraResponse>(1000);
            await using (var reader = await cmd.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    page.Add(Read(reader));
                }
            }

            foreach (var camera in page)
            {
                yield return camera;
            }

            if (page.Count < 1000)
            {
                yield break;
            }

            after = page[^1].Id;
        }
    }

    /// <summary>Which of <paramref name="ids"/> name a registered camera, in any region.</summary>
    public async Task<IReadOnlySet<Guid>> ExistingIdsAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct)
    {
        var existing = new HashSet<Guid>();
        if (ids.Count == 0)
        {
            return existing;
        }

        await using var cmd = dataSource.CreateCommand("SELECT id FROM cameras WHERE id = ANY(@ids)");
        cmd.Parameters.AddWithValue("ids", ids.ToArray());
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            existing.Add(reader.GetGuid(0));
        }

        return existing;
    }

    /// <summary>
    /// Registers every camera in one transaction: all or none. A camera keeps the id it comes with, if any; if that id is taken
    /// by then, nothing is registered and the index of its row is returned.
    /// </summary>
    public async Task<(int Imported, int? TakenRow)> ImportAsync(IReadOnlyList<(Guid? Id, CameraRequest Camera)> cameras, string? actor,
        CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        for (var i = 0; i < cameras.Count; i++)
        {
            var (given, request) = cameras[i];
            var id = given ?? Guid.CreateVersion7();
            var status = request.Status ?? Lifecycle.Planned;
            await using (var insert = new NpgsqlCommand($"""
                INSERT INTO cameras (id, name, kind, status, region, location, address, settlement, site_type, owner, capabilities,
                                     control_centre, installed_on, vendor_client_id, created_at, updated_at, health_changed_at)
                VALUES (@id, @name, @kind, @status, @region, ST_SetSRID(ST_MakePoint(@lon, @lat), 4326)::geography, @address, @settlement,
                        @site_type, @owner, @capabilities, @control_centre, @installed_on, @vendor, @now, @now, {MonitoredFrom})
                ON CONFLICT (id) DO NOTHING
                """, connection, tx))
            {
                AddFields(insert, request);
                insert.Parameters.AddWithValue("id", id);
                insert.Parameters.AddWithValue("status", status);
                insert.Parameters.AddWithValue("now", now);
                if (await insert.ExecuteNonQueryAsync(ct) == 0)
                {
                    await tx.RollbackAsync(ct);
                    return (0, i);
                }
            }

            await AddHistoryAsync(connection, tx, id, null, status, "imported", actor, now, ct);
        }

        await tx.CommitAsync(ct);
        return (cameras.Count, null);
    }

    /// <summary>Replaces the descriptive fields; the status changes only through <see cref="TransitionAsync"/>.</summary>
    public async Task<CameraResponse?> UpdateAsync(Guid id, CameraRequest request, string? scope, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("""
            UPDATE cameras SET name = @name, kind = @kind, region = @region, location = ST_SetSRID(ST_MakePoint(@lon, @lat), 4326)::geography,
                address = @address, settlement = @settlement, site_type = @site_type, owner = @owner, capabilities = @capabilities,
                control_centre = @control_centre, installed_on = @installed_on, vendor_client_id = @vendor, updated_at = @now,
                -- A school counts cameras of its own region only: one moved to another region leaves it (and its region's view).
                school_id = CASE WHEN region = @region THEN school_id END
            WHERE id = @id AND (@scope::text IS NULL OR region = @scope)
            """);
        AddFields(cmd, request);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.Add(Text("scope", scope));
        cmd.Parameters.AddWithValue("now", time.GetUtcNow());
        return await cmd.ExecuteNonQueryAsync(ct) == 0 ? null : await GetAsync(id, null, ct);
    }

    public async Task<(TransitionOutcome Outcome, string? From)> TransitionAsync(Guid id, string to, string? reason, string? actor, string? scope, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        string from;
        await using (var select = new NpgsqlCommand(
            "SELECT status FROM cameras WHERE id = @id AND (@scope::text IS NULL OR region = @scope) FOR UPDATE", connection, tx))
        {
            select.Parameters.AddWithValue("id", id);
            select.Parameters.Add(Text("scope", scope));
            if (await select.ExecuteScalarAsync(ct) is not string current)
            {
                return (TransitionOutcome.NotFound, null);
            }

            from = current;
        }

        if (!Lifecycle.CanMove(from, to))
        {
            return (TransitionOutcome.NotAllowed, from);
        }

        // Installing or putting into service a camera without an install date installs it today (Kazakhstan's date), so that the
        // installation plan's actual counts it. A camera back from maintenance was installed before: its date stays unknown.
        DateOnly? installedToday = to is Lifecycle.Installed or Lifecycle.Active && from is Lifecycle.Planned or Lifecycle.Installed
            ? Kazakhstan.LocalDate(now)
            : null;

        await using (var update = new NpgsqlCommand("""
            UPDATE cameras SET status = @to, updated_at = @now,
                -- A decommissioned camera is no longer monitored.
                health = CASE WHEN @to = 'decommissioned' THEN 'unknown' ELSE health END,
                health_changed_at = CASE WHEN @to = 'active' AND health = 'unknown' THEN @now ELSE health_changed_at END,
                installed_on = coalesce(installed_on, @installed_today)
            WHERE id = @id
            """, connection, tx))
        {
            update.Parameters.Add(new NpgsqlParameter<DateOnly?>("installed_today", installedToday) { NpgsqlDbType = NpgsqlDbType.Date });
            update.Parameters.AddWithValue("id", id);
            update.Parameters.AddWithValue("to", to);
            update.Parameters.AddWithValue("now", now);
            await update.ExecuteNonQueryAsync(ct);
        }

        if (to == Lifecycle.Decommissioned)
        {
            await Health.HealthLog.AppendAsync(connection, tx, [id], "unknown", now, ct);
        }

        await AddHistoryAsync(connection, tx, id, from, to, reason, actor, now, ct);
        await tx.CommitAsync(ct);
        return (TransitionOutcome.Moved, from);
    }

    public async Task<IReadOnlyList<StatusChange>?> HistoryAsync(Guid id, string? scope, CancellationToken ct)
    {
        if (await GetAsync(id, scope, ct) is null)
        {
            return null;
        }

        await using var cmd = dataSource.CreateCommand(
            "SELECT from_status, to_status, reason, changed_by, changed_at FROM camera_status_history WHERE camera_id = @id ORDER BY id");
        cmd.Parameters.AddWithValue("id", id);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var changes = new List<StatusChange>();
        while (await reader.ReadAsync(ct))
        {
            changes.Add(new StatusChange(reader.IsDBNull(0) ? null : reader.GetString(0), reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4)));
        }

        return changes;
    }

    /// <summary>Stores the already encrypted stream endpoint; false if the camera is not in scope.</summary>
    public async Task<bool> SetStreamEndpointAsync(Guid id, byte[] sealedEndpoint, string? scope, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(
            "UPDATE cameras SET stream_endpoint = @s, updated_at = @now WHERE id = @id AND (@scope::text IS NULL OR region = @scope)");
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("s", sealedEndpoint);
        cmd.Parameters.AddWithValue("now", time.GetUtcNow());
        cmd.Parameters.Add(Text("scope", scope));
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>The encrypted stream endpoint and the camera's region: (found, sealed or null when none is set, region).</summary>
    public async Task<(bool Found, byte[]? Sealed, string? Region)> GetStreamEndpointAsync(Guid id, string? scope, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("SELECT stream_endpoint, region FROM cameras WHERE id = @id AND (@scope::text IS NULL OR region = @scope)");
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.Add(Text("scope", scope));
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return (false, null, null);
        }

        return (true, reader.IsDBNull(0) ? null : reader.GetFieldValue<byte[]>(0), reader.GetString(1));
    }

    private static async Task AddHistoryAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Guid id, string? from, string to, string? reason,
        string? actor, DateTimeOffset at, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO camera_status_history (camera_id, from_status, to_status, reason, changed_by, changed_at)
            VALUES (@id, @from, @to, @reason, @by, @at)
            """, connection, tx);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.Add(Text("from", from));
        cmd.Parameters.AddWithValue("to", to);
        cmd.Parameters.Add(Text("reason", reason));
        cmd.Parameters.Add(Text("by", actor));
        cmd.Parameters.AddWithValue("at", at);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static void AddFields(NpgsqlCommand cmd, CameraRequest r)
    {
        cmd.Parameters.Add(Text("name", r.Name));
        cmd.Parameters.AddWithValue("kind", r.Kind!);
        cmd.Parameters.AddWithValue("region", r.Region!.ToUpperInvariant());
        cmd.Parameters.AddWithValue("lat", r.Latitude!.Value);
        cmd.Parameters.AddWithValue("lon", r.Longitude!.Value);
        cmd.Parameters.Add(Text("address", r.Address));
        cmd.Parameters.Add(Text("settlement", r.Settlement));
        cmd.Parameters.Add(Text("site_type", r.SiteType));
        cmd.Parameters.Add(Text("owner", r.Owner));
        cmd.Parameters.AddWithValue("capabilities", (r.Capabilities ?? []).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray());
        cmd.Parameters.Add(Text("control_centre", r.ControlCentre));
        cmd.Parameters.Add(new NpgsqlParameter<DateOnly?>("installed_on", r.InstalledOn) { NpgsqlDbType = NpgsqlDbType.Date });
        cmd.Parameters.Add(Text("vendor", r.VendorClientId));
    }

    private static NpgsqlParameter Text(string name, string? value) => new NpgsqlParameter<string?>(name, value) { NpgsqlDbType = NpgsqlDbType.Text };

    private static async Task<CameraResponse?> ReadOneAsync(NpgsqlCommand cmd, CancellationToken ct)
    {
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? Read(reader) : null;
    }

    private static CameraResponse Read(NpgsqlDataReader r) => new(
        r.GetGuid(0), r.IsDBNull(1) ? null : r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetDouble(5), r.GetDouble(6),
        r.IsDBNull(7) ? null : r.GetString(7), r.IsDBNull(8) ? null : r.GetString(8), r.IsDBNull(9) ? null : r.GetString(9),
        r.IsDBNull(10) ? null : r.GetString(10), r.GetFieldValue<string[]>(11), r.IsDBNull(12) ? null : r.GetString(12),
        r.IsDBNull(13) ? null : r.GetFieldValue<DateOnly>(13), r.GetString(14), r.IsDBNull(15) ? null : r.GetFieldValue<DateTimeOffset>(15),
        r.GetBoolean(16), r.GetFieldValue<DateTimeOffset>(17), r.GetFieldValue<DateTimeOffset>(18), r.IsDBNull(19) ? null : r.GetString(19), r.GetBoolean(20));
}
