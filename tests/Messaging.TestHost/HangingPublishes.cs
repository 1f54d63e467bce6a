using MassTransit;

namespace PublicSafety.Messaging.TestHost;

/// <summary>
/// Fault injection (<c>TestHost:HangingPublishes</c>): the first N publishes never complete and ignore cancellation, as
/// RabbitMQ.Client 7 does with a publish whose confirm was lost in a broker restart (rabbitmq-dotnet-client #1930).
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
