using System.Text;
using System.Text.Json.Nodes;
using RabbitMQ.Client;

namespace PublicSafety.Testing;

/// <summary>
/// A temporary exclusive queue bound to the exchange MassTransit publishes an event type to, read with RabbitMQ.Client
/// directly: what a subscriber of the event really receives, envelope and transport headers included, rather than the
/// outbox row the dispatcher publishes from.
/// </summary>
public sealed class BrokerTap : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly string _queue;

    private BrokerTap(IConnection connection, IChannel channel, string queue)
    {
        _connection = connection;
        _channel = channel;
        _queue = queue;
    }

    /// <summary>
    /// MassTransit's entity name for a message type is "Namespace:TypeName", a fanout exchange, here behind the test
    /// service's entity prefix (Messaging__EntityPrefix, applied by a PrefixEntityNameFormatter in ServiceDefaults).
    /// </summary>
    public static string ExchangeFor<T>(string entityPrefix) => $"{entityPrefix}{typeof(T).Namespace}:{typeof(T).Name}";

    public static async Task<BrokerTap> OpenAsync(string exchange)
    {
        var factory = new ConnectionFactory { Uri = TestEnvironment.RabbitUri, ClientProvidedName = "tests-broker-tap", AutomaticRecoveryEnabled = false };
        var connection = await factory.CreateConnectionAsync();
        try
        {
            var channel = await connection.CreateChannelAsync();
            // Declared as MassTransit declares it (durable fanout, no arguments): the exchange may not exist until the service
            // first publishes the type, and a binding to a missing exchange fails; an identical declaration is a no-op for both.
            await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
            var queue = await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true);
            await channel.QueueBindAsync(queue.QueueName, exchange, "");
            return new BrokerTap(connection, channel, queue.QueueName);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Waits for the first delivered message whose envelope matches; others are acknowledged and skipped (tests sharing the
    /// service publish the same type at the same time).
    /// </summary>
    public async Task<Delivered> ReceiveAsync(Func<JsonObject, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await _channel.BasicGetAsync(_queue, autoAck: true) is { } result)
            {
                var envelope = JsonNode.Parse(Encoding.UTF8.GetString(result.Body.Span))!.AsObject();
                if (match(envelope))
                {
                    var headers = (result.BasicProperties.Headers ?? new Dictionary<string, object?>()).ToDictionary(
                        h => h.Key, h => h.Value is byte[] bytes ? Encoding.UTF8.GetString(bytes) : h.Value?.ToString(), StringComparer.Ordinal);
                    return new Delivered(envelope, headers, result.BasicProperties.ContentType);
                }

                continue;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"No matching message reached the queue bound to the exchange within {timeout}.");
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }

    /// <summary>A message as delivered: MassTransit's JSON envelope and the transport headers (strings).</summary>
    public sealed record Delivered(JsonObject Envelope, IReadOnlyDictionary<string, string?> Headers, string? ContentType);
}
