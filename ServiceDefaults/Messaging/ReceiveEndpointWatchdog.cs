using MassTransit;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace PublicSafety.ServiceDefaults.Messaging;

/// <summary>
/// Liveness for consumers. MassTransit 8.3–8.4 over RabbitMQ sometimes left a receive endpoint faulted for good after a
/// broker restart (MassTransit issue #5692; not seen on 8.5.12, where <see cref="ReceiveEndpointRecovery"/> also restarts a
/// faulted endpoint once the broker is back): the process stays up and ready, the queue fills, nothing is consumed. When the
/// bus has been unhealthy, or one of this process's queues has had no consumer at all (<see cref="MessagingMonitor"/>'s
/// sample), for <see cref="MessagingOptions.ReceiveStallLimit"/> while the broker itself accepts connections, this check
/// fails <c>/health/live</c>, and the orchestrator restarts the process; the quorum queues keep the messages and
/// the inbox makes the redeliveries harmless. While the broker is away a restart would not help, so the check stays healthy.
/// </summary>
internal sealed class ReceiveEndpointWatchdog(
    IBusControl bus, ReceiveEndpoints endpoints, BrokerConnection broker, MessagingOptions options, TimeProvider time) : IHealthCheck
{
    private readonly Lock _gate = new();
    private DateTimeOffset? _unhealthySince;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken) =>
        Task.FromResult(Check(context));

    private HealthCheckResult Check(HealthCheckContext context)
    {
        var health = bus.CheckHealth();
        var unattended = endpoints.WithoutConsumers;
        if ((health.Status != BusHealthStatus.Unhealthy && unattended.Count == 0) || broker.Open() is null)
        {
            Reset();
            return HealthCheckResult.Healthy();
        }

        var now = time.GetUtcNow();
        lock (_gate)
        {
            _unhealthySince ??= now;
            return now - _unhealthySince.Value < options.ReceiveStallLimit
                ? HealthCheckResult.Healthy($"Receive endpoints stalled since {_unhealthySince:O}; the broker is reachable.")
                : new HealthCheckResult(context.Registration.FailureStatus,
                    $"Receive endpoints stalled for over {options.ReceiveStallLimit} with the broker reachable; bus: {health.Status}, " +
                    $"queues without a consumer: {string.Join(", ", unattended)}");
        }
    }

    private void Reset()
    {
        lock (_gate)
        {
            _unhealthySince = null;
        }
    }
}
