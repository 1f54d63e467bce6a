using System.Text.Json;
using Npgsql;
using PublicSafety.RoadSafety.Ingestion;

namespace PublicSafety.RoadSafety.Infrastructure;

public sealed record FixationView(
    Guid Id, Guid DeviceId, long Sequence, DateTimeOffset OccurredAt, DateTimeOffset ReceivedAt, string? Plate, int? SpeedKmh, int? LimitKmh, int? Lane,
    string? ViolationCode, IReadOnlyList<EvidenceReference> Evidence, string Outcome, string? Reason, int RuleVersion);

public sealed record ViolationView(
    Guid Id, string Kind, string ViolationCode, Guid DeviceId, string Region, DateTimeOffset OccurredAt, string Plate, double? MeasuredSpeedKmh,
    int? LimitKmh, int RuleVersion, Guid FixationId, Guid? EntryFixationId, Guid? SectionId);

public sealed class FixationQueries(NpgsqlDataSource db)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<IReadOnlyList<FixationView>?> FixationsAsync(Guid deviceId, string? scope, DateTimeOffset from, DateTimeOffset to, string? outcome, int limit, CancellationToken ct)
    {
        await using var exists = db.CreateCommand("SELECT 1 FROM devices WHERE id = @id AND (@scope IS NULL OR region = @scope)");
        exists.With("id", deviceId).WithText("scope", scope);
        if (await exists.ExecuteScalarAsync(ct) is null) return null;
        await using var cmd = db.CreateCommand("""
            SELECT id, device_id, device_sequence, occurred_at, received_at, plate, speed_kmh, limit_kmh, lane, violation_code, evidence::text, outcome, reason, rule_version
            FROM fixations WHERE device_id = @id AND occurred_at >= @from AND occurred_at < @to AND (@outcome IS NULL OR outcome = @outcome)
            ORDER BY occurred_at LIMIT @limit
            """);
        cmd.With("id", deviceId).With("from", from.ToUniversalTime()).With("to", to.ToUniversalTime()).WithText("outcome", outcome).With("limit", limit);
        return await cmd.ListAsync(r => new FixationView(r.GetGuid(0), r.GetGuid(1), r.GetInt64(2), r.GetFieldValue<DateTimeOffset>(3), r.GetFieldValue<DateTimeOffset>(4),
            r.Get<string>(5), r.GetStruct<int>(6), r.GetStruct<int>(7), r.IsDBNull(8) ? null : r.GetInt16(8), r.Get<string>(9),
            JsonSerializer.Deserialize<EvidenceReference[]>(r.GetString(10), Json) ?? [], r.GetString(11), r.Get<string>(12), r.GetInt32(13)), ct);
    }

    public async Task<IReadOnlyList<ViolationView>> ViolationsAsync(string? region, Guid? deviceId, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            SELECT v.id, v.kind, v.violation_code, v.device_id, v.region, v.occurred_at, f.plate, v.measured_speed_kmh, v.limit_kmh, v.rule_version,
                   v.fixation_id, v.entry_fixation_id, v.section_id
            FROM violations v JOIN fixations f ON f.id = v.fixation_id
            WHERE v.occurred_at >= @from AND v.occurred_at < @to AND (@region IS NULL OR v.region = @region) AND (@device::uuid IS NULL OR v.device_id = @device)
            ORDER BY v.occurred_at LIMIT @limit
            """);
        cmd.With("from", from.ToUniversalTime()).With("to", to.ToUniversalTime()).WithText("region", region).With("device", deviceId).With("limit", limit);
        return await cmd.ListAsync(r => new ViolationView(r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetGuid(3), r.GetString(4), r.GetFieldValue<DateTimeOffset>(5),
            r.GetString(6), r.GetStruct<double>(7), r.GetStruct<int>(8), r.GetInt32(9), r.GetGuid(10), r.GetStruct<Guid>(11), r.GetStruct<Guid>(12)), ct);
    }
}
