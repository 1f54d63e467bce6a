using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Npgsql;
using PublicSafety.Feedback.Extensions;
using PublicSafety.Feedback.Model;

namespace PublicSafety.Feedback.Infrastructure;

/// <summary>Complaints about police conduct and their lifecycle; every step is recorded with who, when and why.</summary>
public sealed class ComplaintStore(NpgsqlDataSource dataSource, TimeProvider clock, IOptionsMonitor<FeedbackOptions> options, FeedbackMetrics metrics)
{
    private const string Columns = """
        id, reference_code, region, unit, category, description, incident_at, source, status, outcome, assignee, received_at, due_at, updated_at,
        closed_at, overdue_at
        """;

    public async Task<ComplaintOutcome> CreateAsync(ComplaintData data, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        // A registered complaint's key is the calling system's own; a citizen's key is only as good as the form that made it,
        // so a repeat must also be the same complaint before it is answered with the first one's reference code.
        var citizen = data.Source == "public";
        var hash = citizen && data.IdempotencyKey is not null ? Fingerprint(data) : null;
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using (var insert = new NpgsqlCommand($"""
            INSERT INTO complaints (id, reference_code, region, unit, category, description, incident_at, source, status, received_at, due_at, updated_at,
                                    client_id, idempotency_key, request_hash)
            VALUES (@id, @code, @region, @unit, @category, @description, @incident, @source, 'received', @now, @due, @now, @client, @key, @hash)
            {(citizen
                ? "ON CONFLICT (idempotency_key) WHERE source = 'public' AND idempotency_key IS NOT NULL DO NOTHING"
                : "ON CONFLICT (client_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING")}
            """, connection, tx))
        {
            insert.Parameters.AddWithValue("id", id);
            insert.Parameters.AddWithValue("code", ReferenceCode.New());
            insert.Parameters.AddWithValue("region", data.Region);
            insert.Parameters.AddWithValue("unit", data.Unit);
            insert.Parameters.AddWithValue("category", data.Category);
            insert.Parameters.AddWithValue("description", data.MaskedDescription);
            insert.Parameters.Add(new NpgsqlParameter<DateTimeOffset?>("incident", data.IncidentAt) { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
            insert.Parameters.AddWithValue("source", data.Source);
            insert.Parameters.AddWithValue("now", now);
            insert.Parameters.AddWithValue("due", now + options.CurrentValue.ComplaintReviewDeadline);
            insert.Parameters.Add(InteractionStore.Text("client", data.ClientId));
            insert.Parameters.Add(InteractionStore.Text("key", data.IdempotencyKey));
            insert.Parameters.Add(new NpgsqlParameter<byte[]?>("hash", hash) { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bytea });
            if (await insert.ExecuteNonQueryAsync(ct) == 0)
            {
                // A new statement: the first complaint may have been committed while the insert waited for it.
                await using var find = new NpgsqlCommand(citizen
                    ? "SELECT id, request_hash FROM complaints WHERE source = 'public' AND idempotency_key = @key"
                    : "SELECT id, request_hash FROM complaints WHERE client_id = @client AND idempotency_key = @key", connection, tx);
                find.Parameters.Add(InteractionStore.Text("client", data.ClientId));
                find.Parameters.AddWithValue("key", data.IdempotencyKey!);
                Guid earlier;
                byte[]? earlierHash;
                await using (var r = await find.ExecuteReaderAsync(ct))
                {
                    await r.ReadAsync(ct);
                    (earlier, earlierHash) = (r.GetGuid(0), r.IsDBNull(1) ? null : r.GetFieldValue<byte[]>(1));
                }

                if (citizen && (earlierHash is null || !earlierHash.AsSpan().SequenceEqual(hash)))
                {
                    return new ComplaintOutcome.KeyReused();
                }

                return new ComplaintOutcome.Repeated((await ReadAsync(tx, "id = @a", earlier, ct))!);
            }
        }

        await AddStepAsync(tx, id, ComplaintStatuses.Received, data.Actor, null, now, ct);
        var complaint = (await ReadAsync(tx, "id = @a", id, ct))!;
        await tx.CommitAsync(ct);
        metrics.ComplaintReceived(data.Source);
        return new ComplaintOutcome.Done(complaint);
    }

    /// <summary>What a citizen's repeat must match: the complaint as stored (the description masked), not the key alone.</summary>
    private static byte[] Fingerprint(ComplaintData d) => SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f',
        d.Region, d.Unit, d.Category, d.MaskedDescription, d.IncidentAt?.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) ?? "")));

    public async Task<ComplaintOutcome> ApplyAsync(Guid id, ComplaintAction action, Func<string, bool> mayAccessRegion, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        // The row lock orders concurrent steps on one complaint; each sees the status the previous one left.
        if (await ReadAsync(tx, "id = @a FOR UPDATE", id, ct) is not { } current || !mayAccessRegion(current.Region))
        {
            return new ComplaintOutcome.NotFound();
        }

        if (ComplaintActions.Next(current.Status, action.Action) is not { } next)
        {
            return new ComplaintOutcome.NotAllowed(current.Status);
        }

        var now = clock.GetUtcNow();
        await using (var update = new NpgsqlCommand("""
            UPDATE complaints SET status = @status, updated_at = @now,
                assignee = coalesce(@assignee, assignee), outcome = @outcome,
                closed_at = CASE WHEN @status IN ('resolved', 'forwarded_to_prosecutor') THEN @now END
            WHERE id = @id
            """, connection, tx))
        {
            update.Parameters.AddWithValue("id", id);
            update.Parameters.AddWithValue("status", next);
            update.Parameters.AddWithValue("now", now);
            update.Parameters.Add(InteractionStore.Text("assignee", action.Action == "assign" ? action.Assignee : null));
            update.Parameters.Add(InteractionStore.Text("outcome", action.Action == "resolve" ? action.Outcome : null));
            await update.ExecuteNonQueryAsync(ct);
        }

        await AddStepAsync(tx, id, next, action.Actor, action.Reason, now, ct);
        var complaint = (await ReadAsync(tx, "id = @a", id, ct))!;
        await tx.CommitAsync(ct);
        return new ComplaintOutcome.Done(complaint);
    }

    public async Task<Complaint?> GetAsync(Guid id, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        return await ReadAsync(tx, "id = @a", id, ct);
    }

    public async Task<Complaint?> GetByReferenceAsync(string referenceCode, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        return await ReadAsync(tx, "reference_code = @a", referenceCode, ct);
    }

    /// <summary>Complaints newest first, without their steps; <paramref name="overdueOnly"/> lists those past their deadline and still open.</summary>
    public async Task<IReadOnlyList<Complaint>> ListAsync(
        IReadOnlyList<string> regions, string? status, bool overdueOnly, DateTimeOffset? before, int limit, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand($"""
            SELECT {Columns} FROM complaints
            WHERE region = ANY(@regions) AND (@status::text IS NULL OR status = @status) AND (@before::timestamptz IS NULL OR received_at < @before)
              AND (NOT @overdue OR (status IN ('received', 'assigned', 'under_review') AND due_at < @now))
            ORDER BY received_at DESC LIMIT @limit
            """);
        cmd.Parameters.AddWithValue("regions", regions.ToArray());
        cmd.Parameters.Add(InteractionStore.Text("status", status));
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset?>("before", before) { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
        cmd.Parameters.AddWithValue("overdue", overdueOnly);
        cmd.Parameters.AddWithValue("now", clock.GetUtcNow());
        cmd.Parameters.AddWithValue("limit", limit);
        var list = new List<Complaint>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(Read(r, []));
        }

        return list;
    }

    private static async Task AddStepAsync(NpgsqlTransaction tx, Guid id, string status, string actor, string? reason, DateTimeOffset at, CancellationToken ct)
    {
        await using var step = new NpgsqlCommand(
            "INSERT INTO complaint_steps (complaint_id, status, actor, reason, at) VALUES (@id, @status, @actor, @reason, @at)", tx.Connection, tx);
        step.Parameters.AddWithValue("id", id);
        step.Parameters.AddWithValue("status", status);
        step.Parameters.AddWithValue("actor", actor);
        step.Parameters.Add(InteractionStore.Text("reason", reason));
        step.Parameters.AddWithValue("at", at);
        await step.ExecuteNonQueryAsync(ct);
    }

    private static async Task<Complaint?> ReadAsync(NpgsqlTransaction tx, string where, object arg, CancellationToken ct)
    {
        Complaint complaint;
        await using (var cmd = new NpgsqlCommand($"SELECT {Columns} FROM complaints WHERE {where}", tx.Connection, tx))
        {
            cmd.Parameters.AddWithValue("a", arg);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            if (!await r.ReadAsync(ct))
            {
                return null;
            }

            complaint = Read(r, []);
        }

        var steps = new List<ComplaintStep>();
        await using (var cmd = new NpgsqlCommand("SELECT status, actor, reason, at FROM complaint_steps WHERE complaint_id = @id ORDER BY id", tx.Connection, tx))
        {
            cmd.Parameters.AddWithValue("id", complaint.Id);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                steps.Add(new ComplaintStep(r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetFieldValue<DateTimeOffset>(3)));
            }
        }

        return complaint with { Steps = steps };
    }

    private static Complaint Read(NpgsqlDataReader r, IReadOnlyList<ComplaintStep> steps) => new(
        r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5),
        r.IsDBNull(6) ? null : r.GetFieldValue<DateTimeOffset>(6), r.GetString(7), r.GetString(8), r.IsDBNull(9) ? null : r.GetString(9),
        r.IsDBNull(10) ? null : r.GetString(10), r.GetFieldValue<DateTimeOffset>(11), r.GetFieldValue<DateTimeOffset>(12),
        r.GetFieldValue<DateTimeOffset>(13), r.IsDBNull(14) ? null : r.GetFieldValue<DateTimeOffset>(14),
        r.IsDBNull(15) ? null : r.GetFieldValue<DateTimeOffset>(15), steps);
}
