using Npgsql;
using PublicSafety.Messaging.Tests.Infrastructure;
using PublicSafety.Testing;

namespace PublicSafety.Messaging.Tests;

public class EndToEndTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AnEventPublishedByOneProcessIsConsumedByAnotherInTheRequestsTrace()
    {
        await using var scenario = new MessagingScenario();
        var consumer = await scenario.StartConsumerAsync();
        var publisher = await scenario.StartPublisherAsync();
        var traceId = Guid.NewGuid().ToString("N");

        var written = await publisher.MarkOfflineAsync(Guid.NewGuid(), $"00-{traceId}-{Guid.NewGuid().ToString("N")[..16]}-01");

        Assert.True(await Eventually.HoldsAsync(async () => await consumer.EffectsAsync(written.MessageId) == 1, Timeout),
            "the consumer did not apply the event:\n" + consumer.Process.RecentOutput());
        await using var connection = new NpgsqlConnection(consumer.Database.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT trace_id, transport_message_id, consumer_pid FROM effects WHERE message_id = @id", connection);
        cmd.Parameters.AddWithValue("id", written.MessageId);
        await using var effect = await cmd.ExecuteReaderAsync();
        Assert.True(await effect.ReadAsync());

        // One trace: the request's, continued through the outbox row and the broker into the consumer.
        Assert.Equal(traceId, written.TraceId);
        Assert.Equal(traceId, effect.GetString(0));
        // MassTransit's message id is the event's, and the effect happened in the other process.
        Assert.Equal(written.MessageId, effect.GetGuid(1));
        Assert.Equal(consumer.Process.ProcessId, effect.GetInt32(2));
        Assert.NotEqual(publisher.Process.ProcessId, effect.GetInt32(2));
        Assert.Equal(1, await publisher.ScalarAsync("SELECT count(*) FROM outbox_messages WHERE message_id = @id AND sent_at IS NOT NULL", ("id", written.MessageId)));
    }

    [Fact]
    public async Task TheSameMessageDeliveredTwiceIsAppliedOnce()
    {
        await using var scenario = new MessagingScenario();
        var consumerDatabase = await scenario.CreateDatabaseAsync("consumer");
        // Two replicas on one queue and one database: duplicates may reach them at the same moment.
        TestHost[] replicas = [await scenario.StartConsumerAsync(consumerDatabase), await scenario.StartConsumerAsync(consumerDatabase)];
        var publisher = await scenario.StartPublisherAsync();
        var replica = replicas[0];

        // A second publish after a crash: the dispatcher published, then died before marking the row sent.
        var written = await publisher.MarkOfflineAsync(Guid.NewGuid());
        Assert.True(await Eventually.HoldsAsync(async () => await replica.EffectsAsync(written.MessageId) == 1, Timeout), "the event was not applied");
        Assert.True(await Eventually.HoldsAsync(async () => await Sent(publisher, written.MessageId), Timeout), "the outbox row was not marked sent");
        await publisher.ScalarAsync("UPDATE outbox_messages SET sent_at = NULL WHERE message_id = @id", ("id", written.MessageId));
        Assert.True(await Eventually.HoldsAsync(async () => await Deliveries(replicas, written.MessageId) == 2, Timeout),
            "the re-published event did not reach the consumers");

        // A publisher that sends one event several times at once.
        var duplicated = await PublishDuplicatesAsync(publisher, copies: 6);
        Assert.True(await Eventually.HoldsAsync(async () => await Deliveries(replicas, duplicated) == 6, Timeout),
            "not every copy reached the consumers");

        Assert.Equal(1, await replica.EffectsAsync(written.MessageId));
        Assert.Equal(1, await replica.EffectsAsync(duplicated));
        Assert.Equal(2, await replica.EffectsAsync());
    }

    private static async Task<bool> Sent(TestHost publisher, Guid messageId) =>
        await publisher.ScalarAsync("SELECT count(*) FROM outbox_messages WHERE message_id = @id AND sent_at IS NOT NULL", ("id", messageId)) == 1;

    private static async Task<int> Deliveries(TestHost[] replicas, Guid messageId)
    {
        var total = 0;
        foreach (var replica in replicas)
        {
            total += await replica.DeliveriesAsync(messageId);
        }

        return total;
    }

    private static async Task<Guid> PublishDuplicatesAsync(TestHost publisher, int copies)
    {
        using var client = publisher.CreateClient();
        using var response = await client.PostAsync($"/test/cameras/{Guid.NewGuid()}/duplicates?copies={copies}", null);
        response.EnsureSuccessStatusCode();
        return (await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<Written>(response.Content))!.MessageId;
    }
}
