using MassTransit;
using Npgsql;
using PublicSafety.Contracts;

namespace PublicSafety.ServiceDefaults.Messaging.Inbox;

/// <summary>
/// A consumer whose effect is applied once per <see cref="IntegrationEvent.MessageId"/>: the inbox row and the effect are
/// written in one transaction, so a redelivery (broker or process restart) or a second publish of the same event (outbox
/// dispatcher crash after the broker's confirm) collides with the row and changes nothing. If the handler throws, both
/// roll back and the retry policy (<see cref="RetryOptions"/>) takes over. The handler runs before the inbox row is
/// written, so it must not act outside the transaction (no HTTP calls, no direct publishing: use the outbox).
/// </summary>
/// <remarks>Name derived consumers <c>*Consumer</c>; the class name keys the inbox, so renaming one forgets what it consumed.</remarks>
public abstract class IdempotentConsumer<TEvent>(Inbox inbox) : IConsumer<TEvent>
    where TEvent : IntegrationEvent
{
    /// <summary>The inbox's name for this consumer; two consumers of one event each apply it once.</summary>
    protected virtual string ConsumerName => GetType().Name;

    public async Task Consume(ConsumeContext<TEvent> context)
    {
        var messageId = context.Message.MessageId;
        var ct = context.CancellationToken;
        if (context.GetRetryAttempt() == 0)
        {
            inbox.Metrics.ConsumeLag(ConsumerName, context.Message.OccurredAt);
        }

        // The effect first, then the inbox row with the COMMIT: two round trips for a one-statement handler instead of
        // three. A duplicate is detected at the inbox row and rolled back with its effect; if the handler fails on a
        // duplicate (say, a unique key of its own), the inbox is checked before the failure counts.
        await using var connection = await inbox.DataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        try
        {
            await HandleAsync(context, transaction);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await transaction.RollbackAsync(CancellationToken.None);
            if (await Inbox.WasAppliedAsync(connection, messageId, ConsumerName, ct))
            {
                inbox.Metrics.Duplicate(ConsumerName);
                return;
            }

            throw;
        }

        if (await Inbox.TryCommitAsync(transaction, messageId, ConsumerName, ct))
        {
            inbox.Metrics.Consumed(ConsumerName);
        }
        else
        {
            inbox.Metrics.Duplicate(ConsumerName);
        }
    }

    /// <summary>Applies the event using <paramref name="transaction"/> (and its connection) only; do not commit it.</summary>
    protected abstract Task HandleAsync(ConsumeContext<TEvent> context, NpgsqlTransaction transaction);
}
