using Npgsql;
using NpgsqlTypes;
using PublicSafety.Cameras.Apis;

namespace PublicSafety.Cameras.Infrastructure;

/// <summary>School security systems (14.1): cameras, panic button and guard per school, and the compliance report.</summary>
public sealed class SchoolStore(NpgsqlDataSource dataSource, TimeProvider time)
{
    public static readonly IReadOnlySet<string> PanicButton = new HashSet<string>(StringComparer.Ordinal) { "missing", "working", "faulty" };
    public static readonly IReadOnlySet<string> Guard = new HashSet<string>(StringComparer.Ordinal) { "missing", "posted", "vacant" };

    public async Task<Guid> CreateAsync(SchoolRequest r, CancellationToken ct)
    {
        var id = Guid.CreateVersion7();
        await using var cmd = dataSource.CreateCommand("""
            INSERT INTO schools (id, region, settlement, name, address, panic_button, guard, updated_at)
            VALUES (@id, @region, @settlement, @name, @address, @panic, @guard, @now)
            """);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("region", r.Region!.ToUpperInvariant());
        cmd.Parameters.Add(new NpgsqlParameter<string?>("settlement", r.Settlement) { NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.AddWithValue("name", r.Name!);
        cmd.Parameters.Add(new NpgsqlParameter<string?>("address", r.Address) { NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.AddWithValue("panic", r.PanicButton!);
        cmd.Parameters.AddWithValue("guard", r.Guard!);
        cmd.Parameters.AddWithValue("now", time.GetUtcNow());
        await cmd.ExecuteNonQueryAsync(ct);
        return id;
    }

    /// <summary>Updates the panic button and guard; false if the school is not in scope.</summary>
    public async Task<bool> SetEquipmentAsync(Guid id, string panicButton, string guard, string? scope, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(
            "UPDATE schools SET panic_button = @panic, guard = @guard, updated_at = @now WHERE id = @id AND (@scope::text IS NULL OR region = @scope)");
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("panic", panicButton);
        cmd.Parameters.AddWithValue("guard", guard);
        cmd.Parameters.AddWithValue("now", time.GetUtcNow());
        cmd.Parameters.Add(new NpgsqlParameter<string?>("scope", scope) { NpgsqlDbType = NpgsqlDbType.Text });
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>Links a camera to a school of the same region; false if either is not in scope or the regions differ.</summary>
    public async Task<bool> LinkCameraAsync(Guid schoolId, Guid cameraId, string? scope, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("""
            UPDATE cameras c SET school_id = s.id, updated_at = @now
            FROM schools s
            WHERE c.id = @camera AND s.id = @school AND c.region = s.region AND (@scope::text IS NULL OR s.region = @scope)
            """);
        cmd.Parameters.AddWithValue("camera", cameraId);
        cmd.Parameters.AddWithValue("school", schoolId);
        cmd.Parameters.AddWithValue("now", time.GetUtcNow());
        cmd.Parameters.Add(new NpgsqlParameter<string?>("scope", scope) { NpgsqlDbType = NpgsqlDbType.Text });
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>Unlinks a camera from a school; false if the school is not in scope or the camera is not one of its.</summary>
    public async Task<bool> UnlinkCameraAsync(Guid schoolId, Guid cameraId, string? scope, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("""
            UPDATE cameras c SET school_id = NULL, updated_at = @now
            FROM schools s
            WHERE c.id = @camera AND c.school_id = @school AND s.id = @school AND (@scope::text IS NULL OR s.region = @scope)
            """);
        cmd.Parameters.AddWithValue("camera", cameraId);
        cmd.Parameters.AddWithValue("school", schoolId);
        cmd.Parameters.AddWithValue("now", time.GetUtcNow());
        cmd.Parameters.Add(new NpgsqlParameter<string?>("scope", scope) { NpgsqlDbType = NpgsqlDbType.Text });
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>
    /// Every school in scope with its systems. A camera works when it is active and online: one that has never reported (health
    /// unknown) has shown nothing. A school complies with at least one working camera, a working panic button and a posted guard.
    /// </summary>
    public Task<IReadOnlyList<SchoolCompliance>> ComplianceAsync(string? region, CancellationToken ct) => ComplianceAsync(region, null, ct);

    /// <summary>One school's compliance row (by its primary key, not the region's whole report); null if it is not in scope.</summary>
    public async Task<SchoolCompliance?> ComplianceOfAsync(Guid id, string? scope, CancellationToken ct) =>
        (await ComplianceAsync(scope, id, ct)).SingleOrDefault();

    /// <summary>A school with its systems and each linked camera (decommissioned ones too, so they can be unlinked); null if not in scope.</summary>
    public async Task<SchoolDetail?> DetailAsync(Guid id, string? scope, CancellationToken ct)
    {
        if (await ComplianceOfAsync(id, scope, ct) is not { } school) return null;
        await using var cmd = dataSource.CreateCommand("""
            SELECT c.id, c.name, c.kind, c.status, c.health, c.last_seen_at FROM cameras c WHERE c.school_id = @id ORDER BY c.id
            """);
        cmd.Parameters.AddWithValue("id", id);
        var cameras = new List<SchoolCamera>();
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                var (status, health) = (r.GetString(3), r.GetString(4));
                cameras.Add(new SchoolCamera(r.GetGuid(0), r.IsDBNull(1) ? null : r.GetString(1), r.GetString(2), status, health,
                    r.IsDBNull(5) ? null : r.GetFieldValue<DateTimeOffset>(5), status == "active" && health == "online"));
            }
        }

        await using var address = dataSource.CreateCommand("SELECT address FROM schools WHERE id = @id");
        address.Parameters.AddWithValue("id", id);
        return new SchoolDetail(school.Id, school.Name, school.Region, school.Settlement, await address.ExecuteScalarAsync(ct) as string, school.PanicButton,
            school.Guard, school.Compliant, school.Problems, cameras);
    }

    private async Task<IReadOnlyList<SchoolCompliance>> ComplianceAsync(string? region, Guid? id, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("""
            SELECT s.id, s.name, s.region, s.settlement, s.panic_button, s.guard,
                   count(c.id), count(c.id) FILTER (WHERE c.status = 'active' AND c.health = 'online')
            FROM schools s LEFT JOIN cameras c ON c.school_id = s.id AND c.status <> 'decommissioned'
            WHERE (@region::text IS NULL OR s.region = @region) AND (@id::uuid IS NULL OR s.id = @id)
            GROUP BY s.id
            ORDER BY s.region, s.name, s.id
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string?>("region", region) { NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter<Guid?>("id", id) { NpgsqlDbType = NpgsqlDbType.Uuid });
        var result = new List<SchoolCompliance>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var (panic, guard, cameras, working) = (r.GetString(4), r.GetString(5), r.GetInt64(6), r.GetInt64(7));
            var problems = new List<string>();
            if (cameras == 0) problems.Add("no cameras");
            else if (working == 0) problems.Add("no working camera");
            if (panic != "working") problems.Add($"panic button {panic}");
            if (guard != "posted") problems.Add(guard == "missing" ? "no guard" : "guard post vacant");
            result.Add(new SchoolCompliance(r.GetGuid(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3), cameras, working, panic, guard,
                problems.Count == 0, problems));
        }

        return result;
    }
}
