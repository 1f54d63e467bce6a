using MassTransit;
using Npgsql;
using PublicSafety.Contracts;

namespace PublicSafety.ServiceDefaults.Messaging.Inbox;

/// <summary>
/// A consumer whose effect is applied once per <see cref="IntegrationEvent.MessageId"/>: the inbox row and the effect are
/// written in one transaction, so a redelivery (broker or process restart) or a second publish of the same event (outbox
/// dispatcher crash after the broker's confirm) finds the row and changes nothing. If the handler throws, both roll back
/// and the retry policy (<see cref="RetryOptions"/>) takes over.
/// </summary>
/// <remarks>Name derived consumers <c>*Consumer</c>; the class name keys the inbox, so renaming one forgets what it consumed.</remarks>
public abstract class IdempotentConsumer<TEvent>(Inbox inbox) : IConsumer<TEvent>
    where TEvent : IntegrationEvent
{
    /// <summary>The inbox's name for this consumer; two consumers of one event each apply it once.</summary>
    protected virtual string ConsumerName => GetType().Name;

    public async Task Consume(ConsumeContext<TEvent> context)
    {
        if (context.GetRetryAttempt() == 0)
        {
            inbox.Metrics.ConsumeLag(ConsumerName, context.Message.OccurredAt);
        }

        await using var connection = await inbox.DataSource.OpenConnectionAsync(context.CancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(context.CancellationToken);
        if (!await Inbox.TryAcceptAsync(transaction, context.Message.MessageId, ConsumerName, context.CancellationToken))
        {
            inbox.Metrics.Duplicate(ConsumerName);
            return;
        }

        await HandleAsync(context, transaction);
        await transaction.CommitAsync(context.CancellationToken);
        inbox.Metrics.Consumed(ConsumerName);
    }

    /// <summary>Applies the event using <paramref name="transaction"/> (and its connection) only; do not commit it.</summary>
    protected abstract Task HandleAsync(ConsumeContext<TEvent> context, NpgsqlTransaction transaction);
}
