using Microsoft.Extensions.Options;
using Npgsql;
using PublicSafety.Contracts;
using PublicSafety.Contracts.RoadSafety;
using PublicSafety.RoadSafety.Extensions;
using PublicSafety.ServiceDefaults.Messaging.Outbox;
using PublicSafety.ServiceDefaults.Hosting;

namespace PublicSafety.RoadSafety.Health;

/// <summary>
/// Flags active devices whose vendor posted nothing for <see cref="RoadSafetyOptions.SilentAfter"/> (a device that never
/// posted counts from when it became active), opens a silence for uptime, and records <see cref="DeviceWentSilent"/>, in
/// batches, each one transaction. Rows held by an ingesting batch are skipped (the device is reporting), so several
/// replicas can sweep at once without flagging a device twice.
/// </summary>
public sealed class SilenceDetector(NpgsqlDataSource db, IOutbox outbox, TimeProvider time, IOptions<RoadSafetyOptions> options, RoadSafetyMetrics metrics)
{
    public const int BatchSize = 500;

    private const string Mark = """
        WITH silent AS (
            UPDATE devices d SET silent_since = @now
            FROM (SELECT id FROM devices
                  WHERE status = 'active' AND silent_since IS NULL AND coalesce(last_report_at, updated_at) < @cutoff
                  ORDER BY coalesce(last_report_at, updated_at) LIMIT @batch FOR NO KEY UPDATE SKIP LOCKED) s
            WHERE d.id = s.id
            RETURNING d.id, d.region, d.last_report_at, coalesce(d.last_report_at, d.updated_at) AS since
        ), opened AS (
            INSERT INTO device_silences (id, device_id, silent_from)
            SELECT gen_random_uuid(), id, since FROM silent
            ON CONFLICT (device_id) WHERE silent_until IS NULL DO NOTHING
        )
        SELECT id, region, last_report_at FROM silent
        """;

    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var total = 0;
        while (true)
        {
            var now = time.GetUtcNow();
            await using var connection = await db.OpenConnectionAsync(ct);
            await using var tx = await connection.BeginTransactionAsync(ct);
            var events = new List<(IntegrationEvent, string)>();
            await using (var cmd = new NpgsqlCommand(Mark, connection, tx))
            {
                cmd.Parameters.AddWithValue("now", now);
                cmd.Parameters.AddWithValue("cutoff", now - options.Value.SilentAfter);
                cmd.Parameters.AddWithValue("batch", BatchSize);
                await using var reader = await cmd.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    var id = reader.GetGuid(0);
                    var last = reader.IsDBNull(2) ? (DateTimeOffset?)null : reader.GetFieldValue<DateTimeOffset>(2);
                    events.Add((new DeviceWentSilent(id, reader.GetString(1), last) { OccurredAt = now }, id.ToString()));
                }
            }

            if (events.Count > 0)
            {
                await outbox.AddAsync(tx, events, ct);
            }

            await tx.CommitAsync(ct);
            total += events.Count;
            if (events.Count < BatchSize)
            {
                if (total > 0) metrics.DevicesWentSilent(total);
                return total;
            }
        }
    }
}

/// <summary>Runs the <see cref="SilenceDetector"/> every <see cref="RoadSafetyOptions.SilenceSweepInterval"/> on the injected clock.</summary>
public sealed class SilenceSweeper(SilenceDetector detector, TimeProvider time, IOptions<RoadSafetyOptions> options, ILogger<SilenceSweeper> logger)
    : PeriodicJob(time, logger)
{
    protected override TimeSpan Interval => options.Value.SilenceSweepInterval;

    public override Task<int> RunOnceAsync(CancellationToken ct) => detector.SweepAsync(ct);
}
