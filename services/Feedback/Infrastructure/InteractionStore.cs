using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using PublicSafety.Contracts.Feedback;
using PublicSafety.Feedback.Extensions;
using PublicSafety.Feedback.Model;
using PublicSafety.ServiceDefaults.Messaging.Outbox;

namespace PublicSafety.Feedback.Infrastructure;

/// <summary>
/// Records interactions and, where the person consented and no suppression rule matches, issues the survey invitation:
/// the interaction, the invitation (token hash only) and <see cref="SurveyInvitationIssued"/> in one transaction.
/// </summary>
public sealed class InteractionStore(
    NpgsqlDataSource dataSource, IOutbox outbox, SuppressionPolicy policy, TimeProvider clock, IOptionsMonitor<FeedbackOptions> options,
    FeedbackMetrics metrics)
{
    private const string Columns = """
        i.id, i.source_system, i.source_reference, i.kind, i.offence_category, i.region, i.unit, i.channel, i.occurred_at, i.recorded_at,
        i.survey, i.suppressed_by, v.id, v.expires_at, v.used_at
        """;

    public async Task<RegistrationOutcome> RegisterAsync(InteractionData data, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var outcome = await RegisterAsync(tx, data, ct);
        await tx.CommitAsync(ct);
        return outcome;
    }

    /// <summary>Within the caller's transaction (the consumers' inbox transaction); does not commit.</summary>
    public async Task<RegistrationOutcome> RegisterAsync(NpgsqlTransaction tx, InteractionData data, CancellationToken ct)
    {
        var (decision, rule) = policy.Decide(data);
        var now = clock.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO interactions (id, source_system, source_reference, kind, offence_category, region, unit, channel, occurred_at, recorded_at,
                                      survey, suppressed_by, safe_channel, synthetic)
            VALUES (@id, @source, @ref, @kind, @offence, @region, @unit, @channel, @occurred, @now, @survey, @rule, @safe, @synthetic)
            ON CONFLICT (source_system, source_reference) DO NOTHING
            """, tx.Connection, tx))
        {
            insert.Parameters.AddWithValue("id", id);
            insert.Parameters.AddWithValue("source", data.SourceSystem);
            insert.Parameters.AddWithValue("ref", data.SourceReference);
            insert.Parameters.AddWithValue("kind", data.Kind);
            insert.Parameters.Add(Text("offence", data.OffenceCategory));
            insert.Parameters.AddWithValue("region", data.Region);
            insert.Parameters.AddWithValue("unit", data.Unit);
            insert.Parameters.AddWithValue("channel", data.Channel);
            insert.Parameters.AddWithValue("occurred", data.OccurredAt);
            insert.Parameters.AddWithValue("now", now);
            insert.Parameters.AddWithValue("survey", decision);
            insert.Parameters.Add(Text("rule", rule));
            insert.Parameters.Add(Text("safe", data.SafeChannel));
            insert.Parameters.AddWithValue("synthetic", data.Synthetic);
            if (await insert.ExecuteNonQueryAsync(ct) == 0)
            {
                var existing = await FindBySourceAsync(tx, data.SourceSystem, data.SourceReference, ct);
                return new RegistrationOutcome(existing!, Created: false);
            }
        }

        if (decision == SurveyDecisions.Invited)
        {
            var invitation = Guid.CreateVersion7(now);
            var token = SurveyToken.New();
            var expires = now + options.CurrentValue.InvitationLifetime;
            await using var batch = new NpgsqlBatch(tx.Connection, tx);
            var insert = new NpgsqlBatchCommand("""
                INSERT INTO survey_invitations (id, interaction_id, token_hash, region, unit, kind, channel, occurred_at, issued_at, expires_at)
                VALUES (@id, @interaction, @hash, @region, @unit, @kind, @channel, @occurred, @now, @expires)
                """);
            insert.Parameters.AddWithValue("id", invitation);
            insert.Parameters.AddWithValue("interaction", id);
            insert.Parameters.AddWithValue("hash", SurveyToken.Hash(token));
            insert.Parameters.AddWithValue("region", data.Region);
            insert.Parameters.AddWithValue("unit", data.Unit);
            insert.Parameters.AddWithValue("kind", data.Kind);
            insert.Parameters.AddWithValue("channel", data.Channel);
            insert.Parameters.AddWithValue("occurred", data.OccurredAt);
            insert.Parameters.AddWithValue("now", now);
            insert.Parameters.AddWithValue("expires", expires);
            batch.BatchCommands.Add(insert);
            outbox.Add(batch, new SurveyInvitationIssued(invitation, id, data.Region, data.Unit, data.Kind, data.SourceSystem, data.SourceReference,
                data.SafeChannel, token, expires, options.CurrentValue.SurveyLink(token)) { OccurredAt = now, SchemaVersion = 2 }, id.ToString());
            await batch.ExecuteNonQueryAsync(ct);
            metrics.Invited(data.SourceSystem);
        }
        else if (decision == SurveyDecisions.Suppressed)
        {
            metrics.Suppressed(rule!);
        }

        metrics.Registered(data.SourceSystem, decision);
        return new RegistrationOutcome((await FindAsync(tx, id, ct))!, Created: true);
    }

    public async Task<Interaction?> GetAsync(Guid id, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        return await FindAsync(tx, id, ct);
    }

    private static Task<Interaction?> FindAsync(NpgsqlTransaction tx, Guid id, CancellationToken ct) =>
        ReadOneAsync(tx, $"SELECT {Columns} FROM interactions i LEFT JOIN survey_invitations v ON v.interaction_id = i.id WHERE i.id = @a",
            ct, ("a", id));

    private static Task<Interaction?> FindBySourceAsync(NpgsqlTransaction tx, string source, string reference, CancellationToken ct) =>
        ReadOneAsync(tx, $"""
            SELECT {Columns} FROM interactions i LEFT JOIN survey_invitations v ON v.interaction_id = i.id
            WHERE i.source_system = @a AND i.source_reference = @b
            """, ct, ("a", source), ("b", reference));

    private static async Task<Interaction?> ReadOneAsync(NpgsqlTransaction tx, string sql, CancellationToken ct, params (string Name, object Value)[] args)
    {
        await using var cmd = new NpgsqlCommand(sql, tx.Connection, tx);
        foreach (var (name, value) in args)
        {
            cmd.Parameters.AddWithValue(name, value);
        }

        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct))
        {
            return null;
        }

        return new Interaction(r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4), r.GetString(5),
            r.GetString(6), r.GetString(7), r.GetFieldValue<DateTimeOffset>(8), r.GetFieldValue<DateTimeOffset>(9), r.GetString(10),
            r.IsDBNull(11) ? null : r.GetString(11), r.IsDBNull(12) ? null : r.GetGuid(12),
            r.IsDBNull(13) ? null : r.GetFieldValue<DateTimeOffset>(13), r.IsDBNull(14) ? null : r.GetFieldValue<DateTimeOffset>(14));
    }

    internal static NpgsqlParameter Text(string name, string? value) => new NpgsqlParameter<string?>(name, value) { NpgsqlDbType = NpgsqlDbType.Text };
}
