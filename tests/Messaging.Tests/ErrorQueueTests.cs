using PublicSafety.Messaging.Tests.Infrastructure;
using PublicSafety.Testing;

namespace PublicSafety.Messaging.Tests;

public class ErrorQueueTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task APoisonMessageWaitsInTheErrorQueueWithItsReasonAndIsAppliedOnceRequeuedAfterAFix()
    {
        await using var scenario = new MessagingScenario();
        var consumer = await scenario.StartConsumerAsync();
        var publisher = await scenario.StartPublisherAsync();
        var poisoned = Guid.NewGuid();
        await consumer.ScalarAsync("INSERT INTO quarantined_cameras VALUES (@id)", ("id", poisoned));

        var poison = await publisher.MarkOfflineAsync(poisoned);
        var others = new List<Guid>();
        for (var i = 0; i < 20; i++)
        {
            others.Add((await publisher.MarkOfflineAsync(Guid.NewGuid())).MessageId);
        }

        // The others keep flowing; the poison message ends in the error queue after its retries, with its reason.
        Assert.True(await Eventually.HoldsAsync(async () => await consumer.EffectsAsync() == others.Count, Timeout),
            "the other events were not applied:\n" + consumer.Process.RecentOutput());
        IReadOnlyList<ErrorQueueTool.Faulted> faulted = [];
        Assert.True(await Eventually.HoldsAsync(async () => (faulted = await ErrorQueueTool.ListAsync(scenario.Broker, scenario.ErrorQueue)).Count == 1, Timeout),
            "the poison message did not reach " + scenario.ErrorQueue);
        var entry = Assert.Single(faulted);
        Assert.Equal(poison.MessageId.ToString(), entry.MessageId);
        Assert.Equal("PublicSafety.Contracts.Cameras.CameraWentOffline", entry.MessageType);
        Assert.Equal("System.InvalidOperationException", entry.ExceptionType);
        Assert.Equal($"Camera {poisoned} is quarantined", entry.Reason);
        Assert.Equal(scenario.ConsumerQueue, entry.InputQueue);
        Assert.Equal(0, await consumer.EffectsAsync(poison.MessageId));
        // Listing does not consume, and operators see the depth in the metrics.
        Assert.Single(await ErrorQueueTool.ListAsync(scenario.Broker, scenario.ErrorQueue));
        Assert.True(await Eventually.HoldsAsync(async () => (await consumer.MessagingAsync()).ErrorQueues.GetValueOrDefault(scenario.ErrorQueue) == 1, Timeout),
            "the error-queue depth was not reported");

        // The fix, then the operator's command.
        await consumer.ScalarAsync("DELETE FROM quarantined_cameras WHERE camera_id = @id", ("id", poisoned));
        var (exit, output, errors) = await ErrorQueueTool.RunAsync(scenario.Broker, "requeue", scenario.ErrorQueue, "--id", poison.MessageId.ToString());
        Assert.True(exit == 0, output + errors);
        Assert.Contains(poison.MessageId.ToString(), output);

        Assert.True(await Eventually.HoldsAsync(async () => await consumer.EffectsAsync(poison.MessageId) == 1, Timeout),
            "the re-published message was not applied:\n" + consumer.Process.RecentOutput());
        Assert.Empty(await ErrorQueueTool.ListAsync(scenario.Broker, scenario.ErrorQueue));
        Assert.Equal(others.Count + 1, await consumer.EffectsAsync());
        Assert.True(await Eventually.HoldsAsync(async () => (await consumer.MessagingAsync()).ErrorQueues.GetValueOrDefault(scenario.ErrorQueue) == 0, Timeout),
            "the error-queue depth did not drop to 0");
    }

    [Fact]
    public async Task RequeueingAnUnknownMessageIdChangesNothingAndSaysSo()
    {
        await using var scenario = new MessagingScenario();
        var (exit, _, errors) = await ErrorQueueTool.RunAsync(scenario.Broker, "requeue", scenario.ErrorQueue, "--id", Guid.NewGuid().ToString());

        Assert.Equal(1, exit);
        Assert.Contains("does not exist", errors);
    }
}
