using Microsoft.Extensions.Options;
using Npgsql;
using PublicSafety.Probation.Evaluation;
using PublicSafety.Probation.Extensions;
using PublicSafety.Probation.Infrastructure;
using PublicSafety.ServiceDefaults.Hosting;

namespace PublicSafety.Probation.Background;

/// <summary>
/// Silent bracelets (no fix for longer than <see cref="DetectionOptions.NoFixAfter"/>, whether or not the device still
/// connects) and low batteries not put on charge within <see cref="DetectionOptions.ChargeWithin"/>. Each silence and
/// each low-battery spell is one violation: the device row remembers what was reported.
/// </summary>
public sealed class DeviceDetector(
    NpgsqlDataSource dataSource, ViolationWriter violations, CameraEnrichmentSignal enrichment, TimeProvider time,
    IOptions<DetectionOptions> options, ILogger<DeviceDetector> logger) : PeriodicJob(time, logger)
{
    private const string Claim = """
        SELECT d.id, {0}, p.id, p.reference, p.region, p.officer_subject, s.watermark, s.last_latitude, s.last_longitude, s.last_accuracy,
               EXISTS (SELECT 1 FROM custody_periods c WHERE c.person_id = p.id AND c.starts_at <= @now AND (c.ends_at IS NULL OR c.ends_at > @now))
        FROM devices d JOIN persons p ON p.id = d.person_id JOIN person_state s ON s.person_id = p.id
        WHERE {1} AND p.supervision_start <= @now AND p.supervision_end > @now
        ORDER BY d.id LIMIT @batch FOR UPDATE OF d SKIP LOCKED
        """;

    private static readonly string NoFix = string.Format(Claim, "coalesce(d.last_fix_at, d.assigned_at)",
        "d.status = 'assigned' AND d.kind = 'bracelet' AND coalesce(d.last_fix_at, d.assigned_at) < @now - @after " +
        "AND d.no_fix_reported_for IS DISTINCT FROM coalesce(d.last_fix_at, d.assigned_at)");

    private static readonly string Battery = string.Format(Claim, "d.low_battery_since",
        "d.status = 'assigned' AND NOT d.charging AND d.low_battery_since < @now - @after " +
        "AND d.battery_reported_for IS DISTINCT FROM d.low_battery_since");

    protected override TimeSpan Interval => options.Value.SweepInterval;

    public override async Task<int> RunOnceAsync(CancellationToken ct) =>
        await SweepAsync(NoFix, ViolationKinds.NoFix, Severities.High, options.Value.NoFixAfter, "no_fix_reported_for", ct) +
        await SweepAsync(Battery, ViolationKinds.BatteryNotCharged, Severities.Medium, options.Value.ChargeWithin, "battery_reported_for", ct);

    private async Task<int> SweepAsync(string claim, string kind, string severity, TimeSpan after, string reportedColumn, CancellationToken ct)
    {
        var total = 0;
        while (true)
        {
            var now = Time.GetUtcNow();
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            await using var tx = await connection.BeginTransactionAsync(ct);
            var found = new List<(Guid Device, DateTimeOffset Since, PersonRef Person, EvidencePoint? Last, bool Custody)>();
            await using (var cmd = new NpgsqlCommand(claim, connection, tx))
            {
                cmd.Parameters.AddWithValue("now", now);
                cmd.Parameters.AddWithValue("after", after);
                cmd.Parameters.AddWithValue("batch", options.Value.BatchSize);
                await using var r = await cmd.ExecuteReaderAsync(ct);
                while (await r.ReadAsync(ct))
                {
                    var last = r.IsDBNull(6) || r.IsDBNull(7) ? null : new EvidencePoint(r.GetFieldValue<DateTimeOffset>(6), r.GetDouble(7), r.GetDouble(8), r.GetFloat(9));
                    found.Add((r.GetGuid(0), r.GetFieldValue<DateTimeOffset>(1), new PersonRef(r.GetGuid(2), r.GetString(3), r.GetString(4), r.GetString(5)), last,
                        r.GetBoolean(10)));
                }
            }

            var alerts = 0;
            foreach (var f in found)
            {
                var candidate = new ViolationCandidate(f.Person.Id, kind, severity, $"{f.Device:N}:{f.Since.UtcTicks}", null, f.Device, f.Since, null, f.Last,
                    f.Last is null ? [] : [f.Last], f.Custody);
                alerts += await violations.WriteAsync(connection, tx, f.Person, [candidate], ct);
            }

            if (found.Count > 0)
            {
                await using var mark = new NpgsqlCommand(
                    $"UPDATE devices d SET {reportedColumn} = u.since FROM unnest(@ids, @since) AS u(id, since) WHERE d.id = u.id", connection, tx);
                mark.Parameters.AddWithValue("ids", found.Select(f => f.Device).ToArray());
                mark.Parameters.AddWithValue("since", found.Select(f => f.Since).ToArray());
                await mark.ExecuteNonQueryAsync(ct);
            }

            await tx.CommitAsync(ct);
            if (alerts > 0)
            {
                enrichment.Notify();
            }

            total += found.Count;
            if (found.Count < options.Value.BatchSize)
            {
                return total;
            }
        }
    }
}
