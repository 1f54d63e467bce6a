namespace PublicSafety.ServiceDefaults.Messaging;

/// <summary>The <c>Messaging</c> configuration section. Defaults suit a service; tests shorten the retry delays.</summary>
public sealed class MessagingOptions
{
    public const string Section = "Messaging";

    /// <summary>Receive endpoints are named <c>&lt;prefix&gt;-&lt;consumer&gt;</c> in kebab case; defaults to the service's name.</summary>
    public string? EndpointPrefix { get; set; }

    /// <summary>
    /// Prefixes the exchanges that events are published to. Environments should get a virtual host each; this exists for
    /// processes that must share one without seeing each other's events (parallel test runs).
    /// </summary>
    public string? EntityPrefix { get; set; }

    /// <summary>Messages a receive endpoint takes from the broker before acknowledging (RabbitMQ prefetch).</summary>
    public int PrefetchCount { get; set; } = 64;

    /// <summary>
    /// Messages one process handles at once per endpoint. Events of one aggregate are never handled at the same time, but
    /// MassTransit hands prefetched deliveries to concurrent workers, so above 1 two events of one aggregate may start in
    /// either order. A service whose consumers need the publisher's order sets 1 (and runs one replica, or its queues with
    /// single-active-consumer); the others compare the event's <c>OccurredAt</c> with their state.
    /// </summary>
    public int ConcurrentMessageLimit { get; set; } = 32;

    /// <summary>How often the outbox backlog and the error-queue depths are sampled for the metrics.</summary>
    public TimeSpan MonitorInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long consumed message ids are remembered; a duplicate older than this would be applied again.</summary>
    public TimeSpan InboxRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// How long the receive endpoints may stay unhealthy while the broker accepts connections before liveness fails and
    /// the orchestrator restarts the process (<see cref="ReceiveEndpointWatchdog"/>). Covers start-up too.
    /// </summary>
    public TimeSpan ReceiveStallLimit { get; set; } = TimeSpan.FromMinutes(2);

    public RetryOptions Retry { get; set; } = new();

    public OutboxOptions Outbox { get; set; } = new();
}

/// <summary>
/// A failing message is retried in the consuming process: <see cref="Immediate"/> times at once, then <see cref="Delayed"/>
/// times with exponential backoff, then moved to the endpoint's <c>_error</c> queue. The delays are in-process because the
/// broker-side alternative (the delayed-message-exchange plugin) is not part of Debian's RabbitMQ 3.10; the cost is that
/// a message waiting for its next attempt holds a prefetch slot and is redelivered from the start if the process dies.
/// </summary>
public sealed class RetryOptions
{
    public int Immediate { get; set; } = 2;

    public int Delayed { get; set; } = 4;

    public TimeSpan FirstDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The wait before each retry: zeros, then FirstDelay doubling up to MaxDelay.</summary>
    public TimeSpan[] Intervals()
    {
        var intervals = new List<TimeSpan>(Enumerable.Repeat(TimeSpan.Zero, Math.Max(Immediate, 0)));
        var delay = FirstDelay;
        for (var i = 0; i < Delayed; i++)
        {
            intervals.Add(delay < MaxDelay ? delay : MaxDelay);
            delay *= 2;
        }

        return [.. intervals];
    }
}

public sealed class OutboxOptions
{
    /// <summary>Unsent rows read per round; a full batch is followed at once by the next.</summary>
    public int BatchSize { get; set; } = 1000;

    /// <summary>Aggregates published concurrently; events of one aggregate are published one after another.</summary>
    public int MaxParallelAggregates { get; set; } = 64;

    /// <summary>
    /// How often an idle dispatcher looks for rows it was not told about: events written by other replicas (a writer wakes
    /// the dispatcher of its own process at once).
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The poll interval while events are flowing, and for <see cref="BusyWindow"/> after a local write.</summary>
    public TimeSpan BusyPollInterval { get; set; } = TimeSpan.FromMilliseconds(10);

    public TimeSpan BusyWindow { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>A publish not confirmed by the broker within this time counts as failed and is retried.</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Upper bound of the backoff between rounds while publishing fails (broker down).</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often an instance that is not the dispatcher tries to become it.</summary>
    public TimeSpan LeaderRetryInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Sent rows are kept this long (for investigation), then deleted.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromMinutes(5);
}
