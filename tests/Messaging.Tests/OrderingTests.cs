using Npgsql;
using PublicSafety.Messaging.Tests.Infrastructure;
using PublicSafety.Testing;

namespace PublicSafety.Messaging.Tests;

public class OrderingTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task EventsOfOneAggregateArriveInOrderAcrossALeaderDispatcherKilledMidStream()
    {
        const int total = 3_000;
        await using var scenario = new MessagingScenario();
        // MassTransit hands prefetched deliveries to concurrent workers, so only a consumer that takes one message at a time
        // sees them in queue order (see MessagingOptions.ConcurrentMessageLimit); that order is what the dispatcher guarantees.
        var consumer = await scenario.StartConsumerAsync(settings: new Dictionary<string, string?> { ["Messaging__ConcurrentMessageLimit"] = "1" });
        var publisherDatabase = await scenario.CreateDatabaseAsync("publisher");
        var leader = await scenario.StartPublisherAsync(publisherDatabase);
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(Dispatches(leader)), Timeout), "the first replica did not become the dispatcher");
        var standby = await scenario.StartPublisherAsync(publisherDatabase);
        Assert.False(Dispatches(standby));

        // One writer, so each aggregate's events are written (and timestamped) one after another.
        await standby.StartLoadAsync(total, cameras: 10, ratePerSecond: 600, writers: 1);
        Assert.True(await Eventually.HoldsAsync(async () => await consumer.EffectsAsync() >= 800, Timeout), "events did not flow");
        leader.Process.Kill();

        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(Dispatches(standby)), Timeout), "the standby did not take over");
        Assert.True(await Eventually.HoldsAsync(async () => await consumer.EffectsAsync() >= total, Timeout),
            $"only {await consumer.EffectsAsync()} of {total} events were applied:\n{standby.Process.RecentOutput()}");
        Assert.True(await Eventually.HoldsAsync(async () =>
            await standby.ScalarAsync("SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL") == 0, Timeout), "the outbox did not drain");

        Assert.Equal(total, await consumer.EffectsAsync());
        Assert.Equal(total, await consumer.ScalarAsync("SELECT count(DISTINCT message_id) FROM effects"));
        Assert.Equal(0, await OutOfOrderAsync(consumer));
    }

    private static bool Dispatches(TestHost host) =>
        File.ReadAllText(host.Process.LogFile).Contains("This instance now dispatches the outbox", StringComparison.Ordinal);

    /// <summary>Effects (in the order they were applied) whose event happened before the previous effect's of the same aggregate.</summary>
    private static async Task<long> OutOfOrderAsync(TestHost consumer)
    {
        await using var connection = new NpgsqlConnection(consumer.Database.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            SELECT count(*) FROM (
                SELECT occurred_at < lag(occurred_at) OVER (PARTITION BY camera_id ORDER BY id) AS reversed FROM effects) e
            WHERE reversed
            """, connection);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
