using Npgsql;
using PublicSafety.Contracts;
using PublicSafety.Contracts.Feedback;
using PublicSafety.ServiceDefaults.Messaging.Outbox;

namespace PublicSafety.Feedback.Infrastructure;

/// <summary>
/// Finds open complaints past their review deadline and records <see cref="ComplaintOverdue"/> for each, once: the
/// complaint is marked and its event written in one transaction. Rows locked by another replica's sweep or by a handler's
/// step are skipped (SKIP LOCKED), so replicas can sweep at the same time without publishing a complaint twice.
/// </summary>
public sealed class OverdueDetector(NpgsqlDataSource dataSource, IOutbox outbox, TimeProvider clock, FeedbackMetrics metrics)
{
    private const int BatchSize = 200;

    private const string MarkOverdue = """
        UPDATE complaints c SET overdue_at = @now
        FROM (SELECT id FROM complaints
              WHERE overdue_at IS NULL AND status IN ('received', 'assigned', 'under_review') AND due_at <= @now
              ORDER BY due_at LIMIT @batch FOR UPDATE SKIP LOCKED) s
        WHERE c.id = s.id
        RETURNING c.id, c.reference_code, c.region, c.unit, c.status, c.received_at, c.due_at
        """;

    /// <summary>One sweep; returns how many complaints became overdue.</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var total = 0;
        while (true)
        {
            var now = clock.GetUtcNow();
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            await using var tx = await connection.BeginTransactionAsync(ct);
            var events = new List<(IntegrationEvent, string)>();
            await using (var cmd = new NpgsqlCommand(MarkOverdue, connection, tx))
            {
                cmd.Parameters.AddWithValue("now", now);
                cmd.Parameters.AddWithValue("batch", BatchSize);
                await using var r = await cmd.ExecuteReaderAsync(ct);
                while (await r.ReadAsync(ct))
                {
                    var id = r.GetGuid(0);
                    events.Add((new ComplaintOverdue(id, r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4),
                        r.GetFieldValue<DateTimeOffset>(5), r.GetFieldValue<DateTimeOffset>(6)) { OccurredAt = now }, id.ToString()));
                }
            }

            await outbox.AddAsync(tx, events, ct);
            await tx.CommitAsync(ct);
            total += events.Count;
            metrics.Overdue(events.Count);
            if (events.Count < BatchSize)
            {
                return total;
            }
        }
    }
}
