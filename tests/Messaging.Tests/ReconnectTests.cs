using System.Diagnostics;
using System.Net;
using PublicSafety.Messaging.Tests.Infrastructure;
using PublicSafety.Testing;
using RabbitMQ.Client;
using Xunit.Abstractions;

namespace PublicSafety.Messaging.Tests;

public class ReconnectTests(ITestOutputHelper output)
{
    private const int Restarts = 4;

    /// <summary>
    /// From the broker accepting connections again to a consumer on the queue: about a second here. Without
    /// ReceiveEndpointRecovery it was up to MassTransit's next retry, 4 to 20 s into this test's later restarts (30 s at most).
    /// </summary>
    private static readonly TimeSpan Resumed = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task TheConsumerResumesWithinSecondsOfEachReturnOfTheBrokerHoweverManyRestartsCameBefore()
    {
        await using var broker = await PrivateRabbitMq.StartAsync();
        await using var scenario = new MessagingScenario(broker.Uri);
        var consumer = await scenario.StartConsumerAsync();
        var publisher = await scenario.StartPublisherAsync();
        Assert.True(await Eventually.HoldsAsync(async () => await ConsumersAsync(broker, scenario.ConsumerQueue) > 0, Timeout), "the consumer never subscribed");

        var resumedAfter = new List<TimeSpan>();
        for (var restart = 1; restart <= Restarts; restart++)
        {
            await broker.StopServerAsync();
            // The consumer has seen the broker go (its readiness says so), so MassTransit is in its reconnect loop.
            Assert.True(await Eventually.HoldsAsync(async () => await ReadinessAsync(consumer) == HttpStatusCode.ServiceUnavailable, Timeout),
                $"restart {restart}: the consumer stayed ready with the broker stopped");

            await broker.StartServerAsync();
            var back = Stopwatch.StartNew();
            Assert.True(await Eventually.HoldsAsync(async () => await ConsumersAsync(broker, scenario.ConsumerQueue) > 0, Timeout, TimeSpan.FromMilliseconds(100)),
                $"restart {restart}: no consumer on {scenario.ConsumerQueue} a minute after the broker returned:\n{consumer.Process.RecentOutput()}");
            resumedAfter.Add(back.Elapsed);

            // Subscribed and consuming: an event written now is applied.
            var written = await publisher.MarkOfflineAsync(Guid.NewGuid());
            Assert.True(await Eventually.HoldsAsync(async () => await consumer.EffectsAsync(written.MessageId) == 1, Timeout),
                $"restart {restart}: the event written after the broker's return was not applied:\n{consumer.Process.RecentOutput()}");
        }

        output.WriteLine($"consumer resumed after the broker's returns: {string.Join(", ", resumedAfter.Select(t => $"{t.TotalSeconds:0.0} s"))}");
        Assert.True(resumedAfter.All(t => t < Resumed),
            $"the consumer resumed {string.Join(", ", resumedAfter.Select(t => $"{t.TotalSeconds:0.0} s"))} after the broker's returns (limit {Resumed.TotalSeconds} s)");
    }

    /// <summary>The consumers the broker counts on the queue (a passive declare); null while the broker or the queue is not there.</summary>
    private static async Task<uint?> ConsumersAsync(PrivateRabbitMq broker, string queue)
    {
        try
        {
            var factory = new ConnectionFactory { Uri = broker.Uri, AutomaticRecoveryEnabled = false, RequestedConnectionTimeout = TimeSpan.FromSeconds(2) };
            await using var connection = await factory.CreateConnectionAsync();
            await using var channel = await connection.CreateChannelAsync();
            return (await channel.QueueDeclarePassiveAsync(queue)).ConsumerCount;
        }
        catch (Exception ex) when (ex is RabbitMQ.Client.Exceptions.BrokerUnreachableException or RabbitMQ.Client.Exceptions.OperationInterruptedException
            or RabbitMQ.Client.Exceptions.AlreadyClosedException or IOException)
        {
            return null;
        }
    }

    private static async Task<HttpStatusCode> ReadinessAsync(TestHost host)
    {
        using var http = host.CreateClient();
        try
        {
            using var response = await http.GetAsync("/health/ready");
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return HttpStatusCode.ServiceUnavailable;
        }
    }
}
