using Npgsql;

namespace PublicSafety.ServiceDefaults.Messaging.Inbox;

/// <summary>The service's record of consumed messages (table <c>inbox_messages</c>).</summary>
public sealed class Inbox(NpgsqlDataSource dataSource, MessagingMetrics metrics)
{
    public NpgsqlDataSource DataSource => dataSource;

    internal MessagingMetrics Metrics => metrics;

    /// <summary>
    /// Records <paramref name="messageId"/> for <paramref name="consumer"/> and commits <paramref name="transaction"/>, in
    /// one round trip: true if committed, false if the message had already been applied (the transaction is then aborted,
    /// and rolls back when disposed). A concurrent delivery of the same message waits on the first one's inbox row and
    /// gets false once that commits (or commits itself if that rolls back), so two replicas never both apply it.
    /// </summary>
    public static async Task<bool> TryCommitAsync(NpgsqlTransaction transaction, Guid messageId, string consumer, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(transaction.Connection, transaction);
        var insert = new NpgsqlBatchCommand("INSERT INTO inbox_messages (message_id, consumer) VALUES (@id, @consumer)");
        insert.Parameters.AddWithValue("id", messageId);
        insert.Parameters.AddWithValue("consumer", consumer);
        batch.BatchCommands.Add(insert);
        // COMMIT in the same batch: if the INSERT fails, PostgreSQL skips it and the transaction stays aborted.
        batch.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
        try
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
            return true;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation && ex.TableName == "inbox_messages")
        {
            return false;
        }
    }

    /// <summary>Whether <paramref name="consumer"/> has applied <paramref name="messageId"/> (outside any transaction).</summary>
    public static async Task<bool> WasAppliedAsync(NpgsqlConnection connection, Guid messageId, string consumer, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand(
            "SELECT EXISTS (SELECT 1 FROM inbox_messages WHERE message_id = @id AND consumer = @consumer)", connection);
        cmd.Parameters.AddWithValue("id", messageId);
        cmd.Parameters.AddWithValue("consumer", consumer);
        return (bool)(await cmd.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// Claims <paramref name="messageId"/> for <paramref name="consumer"/> in <paramref name="transaction"/>: true the first
    /// time, false if it was already applied. A concurrent delivery of the same message waits on the first one's row
    /// and gets false once that commits (or true if it rolls back), so two replicas never both apply it.
    /// </summary>
    public static async Task<bool> TryAcceptAsync(NpgsqlTransaction transaction, Guid messageId, string consumer, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand(
            "INSERT INTO inbox_messages (message_id, consumer) VALUES (@id, @consumer) ON CONFLICT DO NOTHING",
            transaction.Connection, transaction);
        cmd.Parameters.AddWithValue("id", messageId);
        cmd.Parameters.AddWithValue("consumer", consumer);
        return await cmd.ExecuteNonQueryAsync(cancellationToken) == 1;
    }
}
