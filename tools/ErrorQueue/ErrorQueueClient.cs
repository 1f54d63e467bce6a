using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace PublicSafety.ErrorQueue;

/// <summary>
/// Reads an error queue without consuming it (messages are fetched unacknowledged and go back when the channel closes)
/// and moves chosen messages back to their input queue: published with the broker's confirm, only then removed.
/// </summary>
public sealed class ErrorQueueClient(IConnection connection)
{
    /// <summary>True if the queue exists (MassTransit declares an error queue on the first fault of its endpoint).</summary>
    public async Task<bool> ExistsAsync(string queue, CancellationToken ct)
    {
        await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
        try
        {
            await channel.QueueDeclarePassiveAsync(queue, ct);
            return true;
        }
        catch (OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == 404)
        {
            return false;
        }
    }

    public async Task<IReadOnlyList<FaultedMessage>> ListAsync(string errorQueue, int max, CancellationToken ct)
    {
        await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
        var messages = new List<FaultedMessage>();
        while (messages.Count < max && await channel.BasicGetAsync(errorQueue, autoAck: false, ct) is { } message)
        {
            messages.Add(FaultedMessage.From(errorQueue, message.BasicProperties, message.Body));
        }

        return messages;
    }

    /// <summary>
    /// Moves the messages matching <paramref name="messageId"/> (all of them when null) to their input queue through the
    /// default exchange, so only the consumer that failed sees them again, not every subscriber of the event. Headers are
    /// kept except the fault's; the message id is kept, so a consumer that did apply it after all skips it.
    /// </summary>
    /// <returns>The messages moved.</returns>
    public async Task<IReadOnlyList<FaultedMessage>> RequeueAsync(string errorQueue, string? messageId, int max, CancellationToken ct)
    {
        var options = new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true);
        await using var channel = await connection.CreateChannelAsync(options, ct);
        // Only what is there now: a message that fails again while we work comes back to the queue's end, not to us.
        max = (int)Math.Min(max, (await channel.QueueDeclarePassiveAsync(errorQueue, ct)).MessageCount);
        var moved = new List<FaultedMessage>();
        for (var seen = 0; seen < max && await channel.BasicGetAsync(errorQueue, autoAck: false, ct) is { } message; seen++)
        {
            var faulted = FaultedMessage.From(errorQueue, message.BasicProperties, message.Body);
            if (messageId is not null && !string.Equals(faulted.MessageId, messageId, StringComparison.OrdinalIgnoreCase))
            {
                continue; // left unacknowledged: back in the error queue when the channel closes
            }

            var properties = new BasicProperties(message.BasicProperties)
            {
                Headers = message.BasicProperties.Headers?
                    .Where(h => !FaultedMessage.IsFaultHeader(h.Key))
                    .ToDictionary(h => h.Key, h => h.Value),
            };
            // mandatory: a missing input queue fails the publish instead of dropping the message.
            await channel.BasicPublishAsync("", faulted.InputQueue, mandatory: true, properties, message.Body, ct);
            await channel.BasicAckAsync(message.DeliveryTag, multiple: false, ct);
            moved.Add(faulted);
        }

        return moved;
    }
}
