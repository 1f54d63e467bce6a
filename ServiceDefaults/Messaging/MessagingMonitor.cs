using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using PublicSafety.ServiceDefaults.Data;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace PublicSafety.ServiceDefaults.Messaging;

/// <summary>
/// The receive endpoints this process configured (their queues and <c>_error</c> queues are the ones it watches), and how
/// many consumers the broker last counted on each queue.
/// </summary>
public sealed class ReceiveEndpoints
{
    private readonly ConcurrentDictionary<string, byte> _names = new();
    private readonly ConcurrentDictionary<string, uint> _consumers = new();

    public IReadOnlyCollection<string> Names => [.. _names.Keys];

    /// <summary>Queues of this process that the broker last reported with no consumer at all: nobody takes their messages.</summary>
    public IReadOnlyCollection<string> WithoutConsumers => [.. _consumers.Where(c => c.Value == 0).Select(c => c.Key)];

    internal void Add(string name) => _names.TryAdd(name, 0);

    internal void SampleConsumers(string name, uint consumers) => _consumers[name] = consumers;
}

/// <summary>
/// Samples what the gauges of <see cref="MessagingMetrics"/> report: the outbox backlog (one indexed query) and the depth of
/// each error queue (a passive declare, which answers the message count without touching the messages); and the consumer
/// count of each receive queue, for <see cref="ReceiveEndpointWatchdog"/>.
/// </summary>
internal sealed class MessagingMonitor(
    NpgsqlDataSource dataSource,
    ServiceDatabase.SchemaState schema,
    MessagingOptions options,
    MessagingMetrics metrics,
    ReceiveEndpoints endpoints,
    BrokerConnection broker,
    ILogger<MessagingMonitor> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await schema.WhenCurrent.WaitAsync(stoppingToken);
        using var timer = new PeriodicTimer(options.MonitorInterval);
        do
        {
            await SampleOutboxAsync(stoppingToken);
            await SampleQueuesAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task SampleOutboxAsync(CancellationToken ct)
    {
        try
        {
            await using var cmd = dataSource.CreateCommand("SELECT count(*), min(created_at) FROM outbox_messages WHERE sent_at IS NULL");
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            metrics.SampleOutbox(reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1));
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            logger.LogDebug(ex, "Could not sample the outbox backlog");
        }
    }

    private async Task SampleQueuesAsync(CancellationToken ct)
    {
        if (broker.Open() is not { } connection)
        {
            return;
        }

        foreach (var endpoint in endpoints.Names)
        {
            var queue = endpoint + "_error";
            try
            {
                await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
                endpoints.SampleConsumers(endpoint, (await channel.QueueDeclarePassiveAsync(endpoint, ct)).ConsumerCount);
                var ok = await channel.QueueDeclarePassiveAsync(queue, ct);
                var depth = (long)ok.MessageCount;
                if (depth > 0 && (!metrics.ErrorQueueDepth.TryGetValue(queue, out var before) || before < depth))
                {
                    logger.LogWarning("Error queue {ErrorQueue} holds {ErrorQueueDepth} messages; see docs/operations.md", queue, depth);
                }

                metrics.SampleErrorQueue(queue, depth);
            }
            catch (OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == 404)
            {
                metrics.SampleErrorQueue(queue, 0); // Nothing has failed yet: MassTransit declares it on the first fault.
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogDebug(ex, "Could not sample error queue {ErrorQueue}", queue);
            }
        }
    }
}
