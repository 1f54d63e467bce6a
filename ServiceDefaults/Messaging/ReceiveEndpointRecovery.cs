using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace PublicSafety.ServiceDefaults.Messaging;

/// <summary>
/// Brings this process's receive endpoints back within seconds of the broker's return. MassTransit retries a faulted
/// endpoint's connection on one exponential backoff (3 s growing to 30 s, RabbitMqHostConfiguration.ReceiveTransportRetryPolicy)
/// whose attempt count lives as long as the endpoint and is never reset, not even after the endpoint connected again
/// (MassTransit's ReceiveTransportAgent keeps its RetryContext): every failed attempt, in this outage or any earlier one,
/// lengthens the wait, so after a few broker restarts a consumer came back about 30 s after the broker. When the project's
/// own connection (<see cref="BrokerConnection"/>, recovering every second) is open again, a faulted endpoint is stopped
/// and started: a new transport agent, with a fresh retry context, which connects at once. If it faults again with the
/// broker there, it is restarted again after 1 s, 2 s, 4 s … (at most 30 s), a count that resets when it is ready.
/// </summary>
internal sealed class ReceiveEndpointRecovery(
    ReceiveEndpoints configured, BrokerConnection broker, TimeProvider time, ILogger<ReceiveEndpointRecovery> logger)
    : BackgroundService, IReceiveEndpointObserver
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, Stalled> _faulted = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Tick, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (_faulted.IsEmpty || broker.Open() is null)
            {
                continue;
            }

            foreach (var (queue, faulted) in _faulted)
            {
                if (time.GetUtcNow() >= faulted.NotBefore && _faulted.TryUpdate(queue, faulted with { NotBefore = DateTimeOffset.MaxValue }, faulted))
                {
                    await RestartAsync(queue, faulted, stoppingToken);
                }
            }
        }
    }

    private async Task RestartAsync(string queue, Stalled faulted, CancellationToken stoppingToken)
    {
        logger.LogInformation("The broker is back; restarting receive endpoint {Queue} (restart {Restart} since it was last ready)",
            queue, faulted.Restarts + 1);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            await faulted.Endpoint.Stop(timeout.Token);
            faulted.Endpoint.Start(stoppingToken);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Restarting receive endpoint {Queue} failed", queue);
        }

        var backoff = TimeSpan.FromSeconds(Math.Min(MaxBackoff.TotalSeconds, Math.Pow(2, Math.Min(faulted.Restarts, 10))));
        var next = faulted with { Restarts = faulted.Restarts + 1, NotBefore = time.GetUtcNow() + backoff };
        // Only if nothing was reported meanwhile: a Ready removed the entry, a new Faulted replaced the endpoint.
        _faulted.TryUpdate(queue, next, faulted with { NotBefore = DateTimeOffset.MaxValue });
    }

    public Task Faulted(ReceiveEndpointFaulted faulted)
    {
        var queue = QueueName(faulted.InputAddress);
        if (configured.Names.Contains(queue))
        {
            _faulted.AddOrUpdate(queue, _ => new Stalled(faulted.ReceiveEndpoint, 0, time.GetUtcNow()),
                (_, known) => known with { Endpoint = faulted.ReceiveEndpoint });
        }

        return Task.CompletedTask;
    }

    public Task Ready(ReceiveEndpointReady ready)
    {
        _faulted.TryRemove(QueueName(ready.InputAddress), out _);
        return Task.CompletedTask;
    }

    public Task Stopping(ReceiveEndpointStopping stopping) => Task.CompletedTask;

    public Task Completed(ReceiveEndpointCompleted completed) => Task.CompletedTask;

    private static string QueueName(Uri inputAddress) => inputAddress.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "";

    private sealed record Stalled(IReceiveEndpoint Endpoint, int Restarts, DateTimeOffset NotBefore);
}
