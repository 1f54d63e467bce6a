using Npgsql;
using PublicSafety.Feedback.Model;
using PublicSafety.ServiceDefaults;

namespace PublicSafety.Feedback.Infrastructure;

/// <summary>Survey submissions: by invitation token (verified) or unsolicited (unverified).</summary>
public sealed class SurveyStore(NpgsqlDataSource dataSource, TimeProvider clock, FeedbackMetrics metrics)
{
    // One statement, one round trip: the invitation is claimed and the response written together. Two submissions of one
    // token at once queue on the invitation's row lock; the second then finds used_at set and inserts nothing. The unique
    // invitation_id would refuse it anyway.
    private const string SubmitSql = """
        WITH claimed AS (
            UPDATE survey_invitations SET used_at = @now
            WHERE token_hash = @hash AND used_at IS NULL AND expires_at > @now
            RETURNING id, region, unit, kind, channel)
        INSERT INTO survey_responses (id, invitation_id, verified, region, unit, kind, channel, submitted_at,
                                      overall, legality, thoroughness, timeliness, respect, informedness, comment)
        SELECT @id, c.id, true, c.region, c.unit, c.kind, c.channel, @now, @overall, @legality, @thoroughness, @timeliness, @respect, @informedness, @comment
        FROM claimed c
        """;

    public async Task<SubmitOutcome> SubmitAsync(string token, SurveyAnswers answers, CancellationToken ct)
    {
        var hash = SurveyToken.Hash(token);
        var now = clock.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using (var cmd = new NpgsqlCommand(SubmitSql, connection))
        {
            cmd.Parameters.AddWithValue("hash", hash);
            cmd.Parameters.AddWithValue("now", now);
            cmd.Parameters.AddWithValue("id", id);
            AddAnswers(cmd, answers);
            try
            {
                if (await cmd.ExecuteNonQueryAsync(ct) == 1)
                {
                    metrics.Responded(verified: true);
                    return new SubmitOutcome.Accepted(id);
                }
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                metrics.Refused("used");
                return new SubmitOutcome.AlreadyUsed();
            }
        }

        await using var why = new NpgsqlCommand("SELECT used_at IS NOT NULL, expires_at <= @now FROM survey_invitations WHERE token_hash = @hash", connection);
        why.Parameters.AddWithValue("hash", hash);
        why.Parameters.AddWithValue("now", now);
        await using var r = await why.ExecuteReaderAsync(ct);
        SubmitOutcome outcome = !await r.ReadAsync(ct) ? new SubmitOutcome.Unknown()
            : r.GetBoolean(0) ? new SubmitOutcome.AlreadyUsed()
            : new SubmitOutcome.Expired();
        metrics.Refused(outcome switch { SubmitOutcome.Unknown => "unknown", SubmitOutcome.AlreadyUsed => "used", _ => "expired" });
        return outcome;
    }

    /// <summary>What the token's survey is about, or the reason it can't be answered.</summary>
    public async Task<(SurveyDescription? Survey, SubmitOutcome? Refusal)> DescribeAsync(string token, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("""
            SELECT kind, channel, region, occurred_at, expires_at, used_at IS NOT NULL FROM survey_invitations WHERE token_hash = @hash
            """);
        cmd.Parameters.AddWithValue("hash", SurveyToken.Hash(token));
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct))
        {
            return (null, new SubmitOutcome.Unknown());
        }

        if (r.GetBoolean(5))
        {
            return (null, new SubmitOutcome.AlreadyUsed());
        }

        var expires = r.GetFieldValue<DateTimeOffset>(4);
        if (expires <= clock.GetUtcNow())
        {
            return (null, new SubmitOutcome.Expired());
        }

        // The day as the citizen remembers it: on Kazakhstan's calendar.
        return (new SurveyDescription(r.GetString(0), r.GetString(1), r.GetString(2), Kazakhstan.LocalDate(r.GetFieldValue<DateTimeOffset>(3)),
            expires), null);
    }

    /// <summary>Feedback without an invitation: accepted, but marked unverified in every indicator.</summary>
    public async Task<Guid> SubmitUnsolicitedAsync(UnsolicitedContext context, SurveyAnswers answers, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        await using var cmd = dataSource.CreateCommand("""
            INSERT INTO survey_responses (id, invitation_id, verified, region, unit, kind, channel, submitted_at,
                                          overall, legality, thoroughness, timeliness, respect, informedness, comment)
            VALUES (@id, NULL, false, @region, @unit, @kind, @channel, @now, @overall, @legality, @thoroughness, @timeliness, @respect, @informedness, @comment)
            """);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("region", context.Region);
        cmd.Parameters.Add(InteractionStore.Text("unit", context.Unit));
        cmd.Parameters.Add(InteractionStore.Text("kind", context.Kind));
        cmd.Parameters.Add(InteractionStore.Text("channel", context.Channel));
        cmd.Parameters.AddWithValue("now", now);
        AddAnswers(cmd, answers);
        await cmd.ExecuteNonQueryAsync(ct);
        metrics.Responded(verified: false);
        return id;
    }

    private static void AddAnswers(NpgsqlCommand cmd, SurveyAnswers a)
    {
        cmd.Parameters.AddWithValue("overall", a.Overall);
        cmd.Parameters.Add(Score("legality", a.Legality));
        cmd.Parameters.Add(Score("thoroughness", a.Thoroughness));
        cmd.Parameters.Add(Score("timeliness", a.Timeliness));
        cmd.Parameters.Add(Score("respect", a.Respect));
        cmd.Parameters.Add(Score("informedness", a.Informedness));
        cmd.Parameters.Add(InteractionStore.Text("comment", a.MaskedComment));
    }

    private static NpgsqlParameter Score(string name, short? value) =>
        new NpgsqlParameter<short?>(name, value) { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Smallint };
}
