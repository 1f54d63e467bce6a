using Microsoft.Extensions.Options;
using Npgsql;
using PublicSafety.Contracts;
using PublicSafety.Contracts.Probation;
using PublicSafety.Probation.Extensions;
using PublicSafety.Probation.Infrastructure;
using PublicSafety.ServiceDefaults.Messaging.Outbox;
using PublicSafety.ServiceDefaults.Hosting;

namespace PublicSafety.Probation.Background;

/// <summary>
/// Alerts still open (not acknowledged) <see cref="AlertOptions.EscalateAfter"/> after they were raised go to the
/// region's duty unit: marked escalated and <see cref="ProbationAlertEscalated"/> recorded, in one transaction, once.
/// </summary>
public sealed class Escalator(
    NpgsqlDataSource dataSource, IOutbox outbox, ProbationMetrics metrics, TimeProvider time, IOptions<AlertOptions> alerts,
    IOptions<DetectionOptions> detection, ILogger<Escalator> logger) : PeriodicJob(time, logger)
{
    protected override TimeSpan Interval => detection.Value.SweepInterval;

    public override async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var total = 0;
        while (true)
        {
            var now = Time.GetUtcNow();
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            await using var tx = await connection.BeginTransactionAsync(ct);
            var due = new List<(Guid Id, Guid Violation, string Region, string Kind, string Severity, DateTimeOffset Created, bool HasLocation, string Reference,
                string? Cause)>();
            await using (var cmd = new NpgsqlCommand("""
                SELECT a.id, a.violation_id, a.region, a.kind, a.severity, a.created_at, a.latitude IS NOT NULL, p.reference, a.cause
                FROM alerts a JOIN persons p ON p.id = a.person_id
                WHERE a.status = 'open' AND a.escalated_at IS NULL AND a.created_at <= @cutoff
                ORDER BY a.created_at LIMIT @batch FOR UPDATE OF a SKIP LOCKED
                """, connection, tx))
            {
                cmd.Parameters.AddWithValue("cutoff", now - alerts.Value.EscalateAfter);
                cmd.Parameters.AddWithValue("batch", detection.Value.BatchSize);
                await using var r = await cmd.ExecuteReaderAsync(ct);
                while (await r.ReadAsync(ct))
                {
                    due.Add((r.GetGuid(0), r.GetGuid(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetFieldValue<DateTimeOffset>(5),
                        r.GetBoolean(6), r.GetString(7), r.IsDBNull(8) ? null : r.GetString(8)));
                }
            }

            if (due.Count > 0)
            {
                var units = due.Select(d => alerts.Value.DutyUnitFor(d.Region)).ToArray();
                await using (var cmd = new NpgsqlCommand(
                    "UPDATE alerts a SET escalated_at = @now, duty_unit = u.unit FROM unnest(@ids, @units) AS u(id, unit) WHERE a.id = u.id", connection, tx))
                {
                    cmd.Parameters.AddWithValue("now", now);
                    cmd.Parameters.AddWithValue("ids", due.Select(d => d.Id).ToArray());
                    cmd.Parameters.AddWithValue("units", units);
                    await cmd.ExecuteNonQueryAsync(ct);
                }

                var events = due.Select((d, i) => ((IntegrationEvent)new ProbationAlertEscalated(d.Id, d.Violation, d.Reference, d.Region, units[i], d.Kind,
                    d.Severity, d.Created, now, d.HasLocation) { OccurredAt = now, Cause = d.Cause, SchemaVersion = 2 }, d.Id.ToString())).ToArray();
                await outbox.AddAsync(tx, events, ct);
            }

            await tx.CommitAsync(ct);
            metrics.Escalations.Add(due.Count);
            total += due.Count;
            if (due.Count < detection.Value.BatchSize)
            {
                return total;
            }
        }
    }
}
