using Npgsql;
using PublicSafety.RoadSafety.Model;
using PublicSafety.ServiceDefaults;

namespace PublicSafety.RoadSafety.Ingestion;

/// <summary>What ingestion needs to know about a device, read once per batch (so a new certificate counts at once).</summary>
public sealed record DeviceState(
    Guid Id, string Kind, string VendorClientId, string Status, string Region, DateOnly ApprovalValidUntil,
    (DateTimeOffset From, DateTimeOffset Until)[] Verifications, bool InSection)
{
    /// <summary>
    /// Why a fixation at <paramref name="at"/> can't be used as evidence, or null. Decided on the fixation's own time:
    /// a certificate is in force from <c>verifiedAt</c> inclusive to <c>validUntil</c> exclusive, so a fixation at the
    /// exact moment of expiry is already inadmissible, whatever our clock says when the batch arrives.
    /// </summary>
    public string? DeviceReason(DateTimeOffset at)
    {
        if (Status == "maintenance") return Reasons.UnderMaintenance;
        if (Status == "installed") return Reasons.NotCommissioned;
        if (!Verifications.Any(v => v.From <= at && at < v.Until))
        {
            return Verifications.Any(v => v.Until <= at) ? Reasons.VerificationLapsed : Reasons.NotVerified;
        }

        // The type approval's end date is a Kazakhstan calendar date.
        return Kazakhstan.LocalDate(at) > ApprovalValidUntil ? Reasons.TypeApprovalExpired : null;
    }

    /// <summary>The devices of <paramref name="ids"/> in <paramref name="scope"/> (a region, or null for the whole country); the others are not loaded.</summary>
    public static async Task<Dictionary<Guid, DeviceState>> LoadAsync(NpgsqlConnection connection, Guid[] ids, string? scope, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT d.id, d.kind, d.vendor_client_id, d.status, d.region, d.approval_valid_until,
                   coalesce(array_agg(v.verified_at ORDER BY v.verified_at) FILTER (WHERE v.id IS NOT NULL), '{}'),
                   coalesce(array_agg(v.valid_until ORDER BY v.verified_at) FILTER (WHERE v.id IS NOT NULL), '{}'),
                   EXISTS (SELECT 1 FROM sections s WHERE s.entry_device_id = d.id OR s.exit_device_id = d.id)
            FROM devices d LEFT JOIN device_verifications v ON v.device_id = d.id
            WHERE d.id = ANY(@ids) AND (@scope::text IS NULL OR d.region = @scope)
            GROUP BY d.id
            """, connection);
        cmd.Parameters.AddWithValue("ids", ids);
        cmd.Parameters.Add(new NpgsqlParameter<string?>("scope", NpgsqlTypes.NpgsqlDbType.Text) { TypedValue = scope });
        var devices = new Dictionary<Guid, DeviceState>(ids.Length);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var from = reader.GetFieldValue<DateTime[]>(6);
            var until = reader.GetFieldValue<DateTime[]>(7);
            var verifications = from.Zip(until, (f, u) => (new DateTimeOffset(f, TimeSpan.Zero), new DateTimeOffset(u, TimeSpan.Zero))).ToArray();
            var state = new DeviceState(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetFieldValue<DateOnly>(5), verifications, reader.GetBoolean(8));
            devices[state.Id] = state;
        }

        return devices;
    }
}

/// <summary>One version of the admissibility rules.</summary>
public sealed record RuleSet(int Version, DateTimeOffset EffectiveFrom, int SpeedToleranceKmh, int RedLightGraceMs, int MaxPlausibleSpeedKmh)
{
    public static async Task<RuleSet[]> LoadAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT version, effective_from, speed_tolerance_kmh, red_light_grace_ms, max_plausible_speed_kmh FROM admissibility_rules ORDER BY effective_from
            """, connection);
        var rules = new List<RuleSet>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rules.Add(new RuleSet(reader.GetInt32(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetInt32(2), reader.GetInt32(3), reader.GetInt32(4)));
        }

        return [.. rules];
    }

    /// <summary>The version in effect at the fixation's own time (the baseline, effective from 2000, always matches).</summary>
    public static RuleSet At(RuleSet[] rules, DateTimeOffset at)
    {
        var chosen = rules[0];
        foreach (var rule in rules)
        {
            if (rule.EffectiveFrom <= at) chosen = rule;
            else break;
        }

        return chosen;
    }
}
