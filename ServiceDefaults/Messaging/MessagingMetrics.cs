using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace PublicSafety.ServiceDefaults.Messaging;

/// <summary>
/// What operators watch (Meter <c>PublicSafety.Messaging</c>): the outbox backlog and the age of its oldest unsent event,
/// the consume lag, the depth of the service's error queues, and published/consumed/duplicate counts. The gauges report
/// the last sample of <see cref="MessagingMonitor"/>, so a scrape never queries the database or the broker.
/// </summary>
public sealed class MessagingMetrics : IDisposable
{
    public const string Name = "PublicSafety.Messaging";

    /// <summary>The dispatcher's publish spans; their parents are the requests that wrote the events.</summary>
    public static readonly ActivitySource ActivitySource = new(Name);

    private readonly Meter _meter = new(Name);
    private readonly Counter<long> _published;
    private readonly Counter<long> _consumed;
    private readonly Counter<long> _duplicates;
    private readonly Histogram<double> _lag;
    private readonly ConcurrentDictionary<string, long> _errorQueueDepths = new();
    private long _backlog;
    private long _oldestUnsentTicks;

    public MessagingMetrics()
    {
        _published = _meter.CreateCounter<long>("publicsafety.outbox.published", "{event}", "Events published from the outbox and confirmed by the broker.");
        _consumed = _meter.CreateCounter<long>("publicsafety.messaging.consumed", "{event}", "Events applied by idempotent consumers.");
        _duplicates = _meter.CreateCounter<long>("publicsafety.messaging.duplicates", "{event}", "Deliveries of events already applied, skipped by the inbox.");
        _lag = _meter.CreateHistogram<double>("publicsafety.messaging.consume.lag", "s", "From the moment an event happened to its consumption.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300] });
        _meter.CreateObservableGauge("publicsafety.outbox.backlog", () => Interlocked.Read(ref _backlog), "{event}", "Outbox events not yet published.");
        _meter.CreateObservableGauge("publicsafety.outbox.oldest_unsent.age", OldestUnsentAge, "s", "Age of the oldest outbox event not yet published (0 when none).");
        _meter.CreateObservableGauge("publicsafety.messaging.error_queue.depth", ErrorQueueDepths, "{message}", "Messages waiting in the service's error queues.");
    }

    public long Backlog => Interlocked.Read(ref _backlog);

    public double OldestUnsentAge()
    {
        var ticks = Interlocked.Read(ref _oldestUnsentTicks);
        return ticks == 0 ? 0 : Math.Max(0, (DateTimeOffset.UtcNow - new DateTimeOffset(ticks, TimeSpan.Zero)).TotalSeconds);
    }

    public IReadOnlyDictionary<string, long> ErrorQueueDepth => _errorQueueDepths;

    internal void Published(string messageType) => _published.Add(1, new KeyValuePair<string, object?>("messaging.message.type", messageType));

    internal void Consumed(string consumer) => _consumed.Add(1, new KeyValuePair<string, object?>("messaging.consumer", consumer));

    internal void Duplicate(string consumer) => _duplicates.Add(1, new KeyValuePair<string, object?>("messaging.consumer", consumer));

    internal void ConsumeLag(string consumer, DateTimeOffset occurredAt) =>
        _lag.Record(Math.Max(0, (DateTimeOffset.UtcNow - occurredAt).TotalSeconds), new KeyValuePair<string, object?>("messaging.consumer", consumer));

    internal void SampleOutbox(long backlog, DateTimeOffset? oldestUnsent)
    {
        Interlocked.Exchange(ref _backlog, backlog);
        Interlocked.Exchange(ref _oldestUnsentTicks, oldestUnsent?.UtcTicks ?? 0);
    }

    internal void SampleErrorQueue(string queue, long depth) => _errorQueueDepths[queue] = depth;

    private IEnumerable<Measurement<long>> ErrorQueueDepths() =>
        _errorQueueDepths.Select(q => new Measurement<long>(q.Value, new KeyValuePair<string, object?>("messaging.destination.name", q.Key)));

    public void Dispose() => _meter.Dispose();
}
