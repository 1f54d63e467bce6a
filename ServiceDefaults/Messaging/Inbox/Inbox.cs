using Npgsql;

namespace PublicSafety.ServiceDefaults.Messaging.Inbox;

/// <summary>The service's record of consumed messages (table <c>inbox_messages</c>).</summary>
public sealed class Inbox(NpgsqlDataSource dataSource, MessagingMetrics metrics)
{
    public NpgsqlDataSource DataSource => dataSource;

    internal MessagingMetrics Metrics => metrics;

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
