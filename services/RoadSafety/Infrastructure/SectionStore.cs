using Npgsql;
using PublicSafety.RoadSafety.Apis;

namespace PublicSafety.RoadSafety.Infrastructure;

public enum SectionOutcome { Created, DeviceNotFound, NotSectionDevices, OtherRegion, Exists }

public sealed record PassageView(Guid Id, Guid EntryFixationId, Guid ExitFixationId, DateTimeOffset EntryAt, DateTimeOffset ExitAt, double TravelSeconds,
    double AverageSpeedKmh, string Outcome, string? Reason, int RuleVersion);

/// <summary>Average-speed sections and admissibility rule versions.</summary>
public sealed class SectionStore(NpgsqlDataSource db)
{
    private const string SectionColumns = "id, name, region, entry_device_id, exit_device_id, length_m, speed_limit_kmh, max_travel_seconds";

    public async Task<(SectionOutcome, SectionResponse?)> CreateAsync(SectionRequest r, string? scope, CancellationToken ct)
    {
        await using var devices = db.CreateCommand("SELECT id, kind, region FROM devices WHERE id = ANY(@ids) AND (@scope IS NULL OR region = @scope)");
        devices.With("ids", new[] { r.EntryDeviceId!.Value, r.ExitDeviceId!.Value }).WithText("scope", scope);
        var found = await devices.ListAsync(x => (Id: x.GetGuid(0), Kind: x.GetString(1), Region: x.GetString(2)), ct);
        if (found.Count < 2) return (SectionOutcome.DeviceNotFound, null);
        if (found.Any(d => d.Kind != "section")) return (SectionOutcome.NotSectionDevices, null);
        if (found[0].Region != found[1].Region) return (SectionOutcome.OtherRegion, null);
        var id = Guid.CreateVersion7();
        var maxTravel = r.MaxTravelSeconds ?? DefaultMaxTravel(r.LengthMeters!.Value);
        await using var insert = db.CreateCommand("""
            INSERT INTO sections (id, name, region, entry_device_id, exit_device_id, length_m, speed_limit_kmh, max_travel_seconds)
            VALUES (@id, @name, @region, @entry, @exit, @length, @limit, @maxTravel) ON CONFLICT (entry_device_id, exit_device_id) DO NOTHING
            """);
        insert.With("id", id).With("name", r.Name).With("region", found[0].Region).With("entry", r.EntryDeviceId).With("exit", r.ExitDeviceId)
            .With("length", r.LengthMeters).With("limit", r.SpeedLimitKmh).With("maxTravel", maxTravel);
        if (await insert.ExecuteNonQueryAsync(ct) == 0) return (SectionOutcome.Exists, null);
        return (SectionOutcome.Created, new SectionResponse(id, r.Name!, found[0].Region, r.EntryDeviceId.Value, r.ExitDeviceId.Value, r.LengthMeters!.Value,
            r.SpeedLimitKmh!.Value, maxTravel));
    }

    /// <summary>Default window: the section driven at 20 km/h. A car slower than that stopped on the way; its exit is another trip.</summary>
    public static int DefaultMaxTravel(double lengthMeters) => (int)Math.Ceiling(lengthMeters / (20 / 3.6));

    public async Task<IReadOnlyList<SectionResponse>> ListAsync(string? region, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"SELECT {SectionColumns} FROM sections WHERE (@region IS NULL OR region = @region) ORDER BY region, name");
        cmd.WithText("region", region);
        return await cmd.ListAsync(Map, ct);
    }

    public async Task<IReadOnlyList<PassageView>?> PassagesAsync(Guid sectionId, string? scope, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken ct)
    {
        await using var exists = db.CreateCommand("SELECT 1 FROM sections WHERE id = @id AND (@scope IS NULL OR region = @scope)");
        exists.With("id", sectionId).WithText("scope", scope);
        if (await exists.ExecuteScalarAsync(ct) is null) return null;
        await using var cmd = db.CreateCommand("""
            SELECT id, entry_fixation_id, exit_fixation_id, entry_at, exit_at, travel_seconds, average_speed_kmh, outcome, reason, rule_version
            FROM section_passages WHERE section_id = @id AND exit_at >= @from AND exit_at < @to ORDER BY exit_at LIMIT @limit
            """);
        cmd.With("id", sectionId).With("from", from.ToUniversalTime()).With("to", to.ToUniversalTime()).With("limit", limit);
        return await cmd.ListAsync(r => new PassageView(r.GetGuid(0), r.GetGuid(1), r.GetGuid(2), r.GetFieldValue<DateTimeOffset>(3), r.GetFieldValue<DateTimeOffset>(4),
            r.GetDouble(5), r.GetDouble(6), r.GetString(7), r.Get<string>(8), r.GetInt32(9)), ct);
    }

    public async Task<IReadOnlyList<RuleResponse>> RulesAsync(CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            SELECT version, effective_from, speed_tolerance_kmh, red_light_grace_ms, max_plausible_speed_kmh, min_section_seconds, note
            FROM admissibility_rules ORDER BY version
            """);
        return await cmd.ListAsync(r => new RuleResponse(r.GetInt32(0), r.GetFieldValue<DateTimeOffset>(1), r.GetInt32(2), r.GetInt32(3), r.GetInt32(4),
            r.GetInt32(5), r.Get<string>(6)), ct);
    }

    /// <summary>Adds the next version; versions and their effective times only grow, so a past decision can always be explained.</summary>
    public async Task<RuleResponse?> AddRuleAsync(RuleRequest r, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using var lockRules = new NpgsqlCommand("LOCK TABLE admissibility_rules IN SHARE ROW EXCLUSIVE MODE", connection, tx);
        await lockRules.ExecuteNonQueryAsync(ct);
        await using var insert = new NpgsqlCommand("""
            INSERT INTO admissibility_rules (version, effective_from, speed_tolerance_kmh, red_light_grace_ms, max_plausible_speed_kmh, min_section_seconds, note)
            SELECT max(version) + 1, @from, @tolerance, @grace, @max, @minSection, @note FROM admissibility_rules
            HAVING max(effective_from) < @from
            RETURNING version
            """, connection, tx);
        insert.With("from", r.EffectiveFrom!.Value.ToUniversalTime()).With("tolerance", r.SpeedToleranceKmh).With("grace", r.RedLightGraceMs)
            .With("max", r.MaxPlausibleSpeedKmh).With("minSection", r.MinSectionSeconds ?? 1).WithText("note", r.Note);
        if (await insert.ExecuteScalarAsync(ct) is not int version) return null;
        await tx.CommitAsync(ct);
        return new RuleResponse(version, r.EffectiveFrom.Value.ToUniversalTime(), r.SpeedToleranceKmh!.Value, r.RedLightGraceMs!.Value, r.MaxPlausibleSpeedKmh!.Value,
            r.MinSectionSeconds ?? 1, r.Note);
    }

    private static SectionResponse Map(NpgsqlDataReader r) =>
        new(r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetGuid(3), r.GetGuid(4), r.GetDouble(5), r.GetInt32(6), r.GetInt32(7));
}
