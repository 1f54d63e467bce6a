using MassTransit;

namespace PublicSafety.Messaging.TestHost;

/// <summary>
/// Fault injection (<c>TestHost:HangingPublishes</c>): the first N publishes never complete and ignore cancellation, as
/// a publish once did after a broker restart on MassTransit 8.4 with RabbitMQ.Client 7.1.2; 7.2.2 honours the cancellation
/// (rabbitmq-dotnet-client #1930), and the outbox's guard against it stays.
/// </summary>
public sealed class HangingPublishes(int count) : IPublishObserver
{
    private static readonly Task Never = new TaskCompletionSource().Task;
    private int _left = count;

    public Task PrePublish<T>(PublishContext<T> context) where T : class =>
        Interlocked.Decrement(ref _left) >= 0 ? Never : Task.CompletedTask;

    public Task PostPublish<T>(PublishContext<T> context) where T : class => Task.CompletedTask;

    public Task PublishFault<T>(PublishContext<T> context, Exception exception) where T : class => Task.CompletedTask;
}
