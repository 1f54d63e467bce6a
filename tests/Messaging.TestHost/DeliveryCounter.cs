using System.Collections.Concurrent;
using MassTransit;
using PublicSafety.Contracts;

namespace PublicSafety.Messaging.TestHost;

/// <summary>Counts deliveries per event, applied or not, so a test knows a duplicate has reached the consumer.</summary>
public sealed class DeliveryCounter : IConsumeObserver
{
    private readonly ConcurrentDictionary<Guid, int> _deliveries = new();

    public int Of(Guid messageId) => _deliveries.GetValueOrDefault(messageId);

    public Task PreConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

    public Task PostConsume<T>(ConsumeContext<T> context) where T : class
    {
        if (context.Message is IntegrationEvent e)
        {
            _deliveries.AddOrUpdate(e.MessageId, 1, (_, n) => n + 1);
        }

        return Task.CompletedTask;
    }

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class => Task.CompletedTask;
}
