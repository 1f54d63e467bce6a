using Microsoft.Extensions.Options;
using Npgsql;
using PublicSafety.Contracts;
using PublicSafety.Contracts.Feedback;
using PublicSafety.Feedback.Extensions;
using PublicSafety.Feedback.Model;
using PublicSafety.ServiceDefaults.Auth;
using PublicSafety.ServiceDefaults.Messaging.Outbox;

namespace PublicSafety.Feedback.Infrastructure;

/// <summary>
/// Evaluates every unit's verified satisfaction over the rolling window (30 days) against the year's target and raises
/// <see cref="ServiceQualityAlertRaised"/> for a unit that falls below it with at least
/// <see cref="FeedbackOptions.AlertMinimumResponses"/> responses; a unit is alerted again only after its alert was cleared,
/// which happens when it recovers or no longer has enough responses in the window to be judged.
/// One evaluation at a time across replicas: a transaction-scoped advisory lock; a replica that doesn't get it skips the
/// round (another is doing the same work). Unverified (unsolicited) responses never raise an alert.
/// </summary>
public sealed class QualityAlertDetector(
    NpgsqlDataSource dataSource, IOutbox outbox, TimeProvider clock, SatisfactionTargets targets, IOptionsMonitor<FeedbackOptions> options,
    FeedbackMetrics metrics)
{
    private const long LockKey = 0x46656564_416C7274; // "FeedAlrt"

    /// <summary>One evaluation; returns the number of alerts raised, or null when another replica holds the lock.</summary>
    public async Task<int?> EvaluateAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (targets.For(now.Year) is not { } target)
        {
            return 0;
        }

        var o = options.CurrentValue;
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using (var lockCmd = new NpgsqlCommand("SELECT pg_try_advisory_xact_lock(@key)", connection, tx))
        {
            lockCmd.Parameters.AddWithValue("key", LockKey);
            if (!(bool)(await lockCmd.ExecuteScalarAsync(ct))!)
            {
                return null;
            }
        }

        var units = new List<(string Region, string Unit, int Responses, double Share)>();
        await using (var cmd = new NpgsqlCommand("""
            SELECT region, unit, count(*)::int, (count(*) FILTER (WHERE overall >= 4))::float8 / count(*)
            FROM survey_responses
            WHERE region = ANY(@regions) AND submitted_at > @from AND submitted_at <= @now AND verified AND unit IS NOT NULL
            GROUP BY region, unit
            HAVING count(*) >= @min
            """, connection, tx))
        {
            cmd.Parameters.AddWithValue("regions", Regions.Names.Keys.ToArray());
            cmd.Parameters.AddWithValue("from", now - o.AlertWindow);
            cmd.Parameters.AddWithValue("now", now);
            cmd.Parameters.AddWithValue("min", o.AlertMinimumResponses);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                units.Add((r.GetString(0), r.GetString(1), r.GetInt32(2), r.GetDouble(3)));
            }
        }

        var below = units.Where(u => u.Share < target).ToArray();
        var events = new List<(IntegrationEvent, string)>();
        if (below.Length > 0)
        {
            await using var raise = new NpgsqlCommand("""
                INSERT INTO quality_alerts (region, unit, raised_at, satisfied_share, responses)
                SELECT * FROM unnest(@regions, @units, @ats, @shares, @responses)
                ON CONFLICT (region, unit) DO NOTHING
                RETURNING region, unit, satisfied_share, responses
                """, connection, tx);
            raise.Parameters.AddWithValue("regions", below.Select(u => u.Region).ToArray());
            raise.Parameters.AddWithValue("units", below.Select(u => u.Unit).ToArray());
            raise.Parameters.AddWithValue("ats", below.Select(_ => now).ToArray());
            raise.Parameters.AddWithValue("shares", below.Select(u => u.Share).ToArray());
            raise.Parameters.AddWithValue("responses", below.Select(u => u.Responses).ToArray());
            await using var r = await raise.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                var (region, unit) = (r.GetString(0), r.GetString(1));
                events.Add((new ServiceQualityAlertRaised(region, unit, now - o.AlertWindow, now, r.GetInt32(3), Math.Round(r.GetDouble(2), 4), target)
                    { OccurredAt = now }, $"{region}/{unit}"));
            }
        }

        // An alert stays active only while its unit is judged below target. A unit that recovered, or that has too few responses
        // left in the window to be judged at all, is cleared: otherwise it would stay listed as below target on evidence that
        // has aged out, and could never be alerted again.
        await using (var clear = new NpgsqlCommand("""
            DELETE FROM quality_alerts q
            WHERE NOT EXISTS (SELECT 1 FROM unnest(@regions, @units) AS u(region, unit) WHERE q.region = u.region AND q.unit = u.unit)
            """, connection, tx))
        {
            clear.Parameters.AddWithValue("regions", below.Select(u => u.Region).ToArray());
            clear.Parameters.AddWithValue("units", below.Select(u => u.Unit).ToArray());
            await clear.ExecuteNonQueryAsync(ct);
        }

        await outbox.AddAsync(tx, events, ct);
        await tx.CommitAsync(ct);
        metrics.AlertsRaised(events.Count);
        return events.Count;
    }

    /// <summary>Units currently below target, in the caller's regions.</summary>
    public async Task<IReadOnlyList<(string Region, string Unit, DateTimeOffset RaisedAt, double Share, int Responses)>> ActiveAsync(
        IReadOnlyList<string> regions, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("""
            SELECT region, unit, raised_at, satisfied_share, responses FROM quality_alerts WHERE region = ANY(@regions) ORDER BY raised_at DESC
            """);
        cmd.Parameters.AddWithValue("regions", regions.ToArray());
        var list = new List<(string, string, DateTimeOffset, double, int)>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add((r.GetString(0), r.GetString(1), r.GetFieldValue<DateTimeOffset>(2), r.GetDouble(3), r.GetInt32(4)));
        }

        return list;
    }
}
