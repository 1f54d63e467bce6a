using System.Net;
using PublicSafety.Messaging.Tests.Infrastructure;
using PublicSafety.Testing;

namespace PublicSafety.Messaging.Tests;

public class FailureTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task AnEventCommittedBeforeThePublisherIsKilledArrivesOnceAfterRestart()
    {
        await using var scenario = new MessagingScenario();
        var consumer = await scenario.StartConsumerAsync();
        var publisherDatabase = await scenario.CreateDatabaseAsync("publisher");

        // The publisher can reach its database but not the broker, so the committed event cannot leave the outbox.
        var unreachable = new Uri($"amqp://{PrivateRabbitMq.User}:{PrivateRabbitMq.Password}@127.0.0.1:{FreePort.Next()}/");
        var cut = await scenario.StartPublisherAsync(publisherDatabase, unreachable, waitReady: false);
        await cut.Process.WaitForHealthAsync("/health/live", Timeout);
        Assert.True(await Eventually.HoldsAsync(async () => await SchemaAppliedAsync(cut), Timeout), "the publisher did not migrate its database");
        var written = await cut.MarkOfflineAsync(Guid.NewGuid());
        Assert.Equal(1, await cut.ScalarAsync("SELECT count(*) FROM outbox_messages WHERE message_id = @id AND sent_at IS NULL", ("id", written.MessageId)));

        // Operators see it waiting: backlog and the age of the oldest unsent event.
        Assert.True(await Eventually.HoldsAsync(async () => (await cut.MessagingAsync()) is { Backlog: 1, OldestUnsentAgeSeconds: > 0 }, Timeout),
            "the outbox backlog was not reported");

        cut.Process.Kill(); // SIGKILL: no graceful shutdown, nothing flushed
        var restarted = await scenario.StartPublisherAsync(publisherDatabase);

        Assert.True(await Eventually.HoldsAsync(async () => await consumer.EffectsAsync(written.MessageId) == 1, Timeout),
            "the event committed before the kill was not delivered after restart:\n" + restarted.Process.RecentOutput());
        Assert.True(await Eventually.HoldsAsync(async () =>
            await restarted.ScalarAsync("SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL") == 0, Timeout), "the outbox row was not marked sent");
        Assert.Equal(1, await consumer.DeliveriesAsync(written.MessageId));
        Assert.Equal(1, await consumer.EffectsAsync());
        Assert.True(await Eventually.HoldsAsync(async () => (await restarted.MessagingAsync()).Backlog == 0, Timeout), "the backlog gauge did not drop to 0");
    }

    [Fact]
    public async Task APublishThatNeverReturnsDoesNotHoldUpTheOutbox()
    {
        await using var scenario = new MessagingScenario();
        var consumer = await scenario.StartConsumerAsync();
        // The first publish waits forever and ignores cancellation, as a publish whose confirm a broker restart lost.
        var publisher = await scenario.StartPublisherAsync(settings: new Dictionary<string, string?> { ["TestHost__HangingPublishes"] = "1" });

        var written = await publisher.MarkOfflineAsync(Guid.NewGuid());

        Assert.True(await Eventually.HoldsAsync(async () => await consumer.EffectsAsync(written.MessageId) == 1, Timeout),
            "the event behind a hung publish was never delivered:\n" + publisher.Process.RecentOutput());
        Assert.Equal(2, await publisher.ScalarAsync("SELECT attempts FROM outbox_messages WHERE message_id = @id", ("id", written.MessageId)));
        var later = await publisher.MarkOfflineAsync(Guid.NewGuid());
        Assert.True(await Eventually.HoldsAsync(async () => await consumer.EffectsAsync(later.MessageId) == 1, Timeout),
            "the outbox stopped dispatching after a hung publish");
        // Operators are told: a publish still running long after its deadline is what rabbitmq-dotnet-client #1930 looked like.
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(publisher.Process.RecentOutput().Contains("was still running")), Timeout),
            "the abandoned publish was not reported:\n" + publisher.Process.RecentOutput());
    }

    [Fact]
    public async Task TenThousandEventsSurviveABrokerRestartWithExactlyTenThousandEffects()
    {
        const int total = 10_000;
        await using var broker = await PrivateRabbitMq.StartAsync();
        await using var scenario = new MessagingScenario(broker.Uri);
        var consumerSettings = new Dictionary<string, string?> { ["Messaging__ReceiveStallLimit"] = "00:00:20" };
        var consumer = await scenario.StartConsumerAsync(settings: consumerSettings);
        var publisher = await scenario.StartPublisherAsync();

        await publisher.StartLoadAsync(total, cameras: 200, ratePerSecond: 500, writers: 8);
        Assert.True(await Eventually.HoldsAsync(async () => await consumer.EffectsAsync() >= 2_000, Timeout), "events did not flow before the stop");

        await broker.StopServerAsync();
        var atStop = await publisher.LoadAsync();
        // Operators' readiness probe says the broker is gone (a 503, not a Degraded 200), so traffic and alerts follow.
        Assert.True(await Eventually.HoldsAsync(async () => await ReadinessAsync(publisher) == HttpStatusCode.ServiceUnavailable, Timeout),
            "/health/ready stayed ready with the broker stopped");
        Assert.True(atStop.Committed < total, $"the load finished ({atStop.Committed}) before the broker stopped");
        // The service keeps committing state changes (and their events) while the broker is away.
        Assert.True(await Eventually.HoldsAsync(async () => (await publisher.LoadAsync()).Committed >= atStop.Committed + 1_000, Timeout),
            "writes stalled while the broker was down");
        var appliedWhileDown = await consumer.EffectsAsync();
        Assert.True(appliedWhileDown < total);

        await broker.StartServerAsync();
        Assert.True(await Eventually.HoldsAsync(async () => await ReadinessAsync(publisher) == HttpStatusCode.OK, Timeout),
            "/health/ready did not recover after the broker came back");
        // As Kubernetes would: a consumer whose liveness fails (its receive endpoint stuck after the restart, a known
        // MassTransit fault) is restarted on the same database. Usually MassTransit recovers on its own and this never acts.
        await using var orchestrator = LivenessOrchestrator.Start(scenario, consumer, consumerSettings);

        if (!await Eventually.HoldsAsync(async () => await orchestrator.Current.EffectsAsync() >= total, TimeSpan.FromMinutes(3)))
        {
            Assert.Fail($"only {await orchestrator.Current.EffectsAsync()} of {total} events were applied; " +
                $"consumer restarts: {orchestrator.Restarts}; unsent in the outbox: " +
                $"{await publisher.ScalarAsync("SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL")}; queues:\n" +
                $"{await broker.CtlAsync("list_queues", "name", "type", "messages", "consumers")}\n" +
                $"consumer ({orchestrator.Current.Process.LogFile}):\n{orchestrator.Current.Process.RecentOutput()}\npublisher:\n{publisher.Process.RecentOutput()}");
        }

        consumer = await orchestrator.StopAsync();
        var load = await publisher.LoadAsync();
        Assert.False(load.Running);
        Assert.Equal(total, load.Committed);
        Assert.Equal(0, load.Failed);
        Assert.True(await Eventually.HoldsAsync(async () =>
            await publisher.ScalarAsync("SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL") == 0, Timeout), "the outbox did not drain");
        // Nothing left in flight that could still add an effect: the consumer's queue is empty and all messages acknowledged.
        Assert.True(await Eventually.HoldsAsync(async () => QueueLine(await broker.CtlAsync("list_queues", "name", "type", "messages"), scenario.ConsumerQueue)
            is [_, "quorum", "0"], Timeout), "the consumer's quorum queue did not drain");

        Assert.Equal(total, await consumer.EffectsAsync());
        Assert.Equal(total, await consumer.ScalarAsync("SELECT count(DISTINCT message_id) FROM effects"));
        Assert.Equal(total, await publisher.ScalarAsync("SELECT count(*) FROM outbox_messages"));
    }

    private static async Task<HttpStatusCode> ReadinessAsync(TestHost host) => await HealthAsync(host, "/health/ready");

    private static async Task<HttpStatusCode> HealthAsync(TestHost host, string path)
    {
        using var http = host.Process.CreateClient();
        try
        {
            using var response = await http.GetAsync(path);
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return HttpStatusCode.ServiceUnavailable;
        }
    }

    /// <summary>
    /// What Kubernetes does with a liveness probe: polls the consumer's <c>/health/live</c> every second and replaces the
    /// process (same database, same settings) when it fails.
    /// </summary>
    private sealed class LivenessOrchestrator : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private Task _loop = Task.CompletedTask;

        private LivenessOrchestrator(TestHost consumer) => Current = consumer;

        public TestHost Current { get; private set; }

        public int Restarts { get; private set; }

        public static LivenessOrchestrator Start(MessagingScenario scenario, TestHost consumer, Dictionary<string, string?> settings)
        {
            var orchestrator = new LivenessOrchestrator(consumer);
            orchestrator._loop = orchestrator.RunAsync(scenario, settings);
            return orchestrator;
        }

        public async Task<TestHost> StopAsync()
        {
            await _stop.CancelAsync();
            await _loop;
            return Current;
        }

        private async Task RunAsync(MessagingScenario scenario, Dictionary<string, string?> settings)
        {
            while (!_stop.IsCancellationRequested)
            {
                if (await HealthAsync(Current, "/health/live") != HttpStatusCode.OK)
                {
                    Current.Process.Kill();
                    Current = await scenario.StartConsumerAsync(Current.Database, settings);
                    Restarts++;
                }

                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), _stop.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await StopAsync();
            _stop.Dispose();
        }
    }

    private static string[] QueueLine(string listQueues, string queue) =>
        listQueues.Split('\n').Select(l => l.Split('\t', StringSplitOptions.TrimEntries)).FirstOrDefault(f => f[0] == queue) ?? [];

    private static async Task<bool> SchemaAppliedAsync(TestHost host)
    {
        try
        {
            return await host.ScalarAsync("SELECT count(*) FROM schema_migrations WHERE source = 'service'") == 1;
        }
        catch (Npgsql.PostgresException)
        {
            return false; // schema_migrations not created yet
        }
    }
}
