using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;

namespace PublicSafety.ServiceDefaults.Messaging;

/// <summary>
/// The project's own connection to the broker (Aspire.RabbitMQ.Client's <see cref="IConnection"/>, which recovers by itself),
/// for what MassTransit does not do: telling whether the broker is there, sampling queues. Aspire connects on first use;
/// while the broker is unreachable that first use fails, and the next one tries again.
/// </summary>
internal sealed class BrokerConnection(IServiceProvider services, ILogger<BrokerConnection> logger)
{
    /// <summary>The connection when it is open, else null (the broker is away, or has not been reached yet).</summary>
    public IConnection? Open()
    {
        try
        {
            return services.GetRequiredService<IConnection>() is { IsOpen: true } connection ? connection : null;
        }
        catch (Exception ex) when (ex is not ObjectDisposedException)
        {
            logger.LogDebug(ex, "The broker is not reachable");
            return null;
        }
    }
}
